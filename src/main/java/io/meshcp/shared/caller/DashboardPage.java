package io.meshcp.shared.caller;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A controller of pages people see in the dashboard (sign-in and error pages included). The page layout's model
 * attributes (the caller's roles, the kill-switch banner) are computed for these only: an advice limited to
 * {@code @Controller} would run for every REST and player request too, since {@code @RestController} is a
 * {@code @Controller}, and cost a player request about a tenth of its time.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DashboardPage {
}
