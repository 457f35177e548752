package io.meshcp.database;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a bean method in the system {@link DatabaseScope}, which sees every organisation's rows. Only for work that
 * is about no single organisation by nature; {@link #value()} says why, for the reviewer.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SystemScope {

    /** Why this work cannot name one organisation. */
    String value();
}
