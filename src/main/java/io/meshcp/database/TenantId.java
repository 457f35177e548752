package io.meshcp.database;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter (a {@link java.util.UUID}) that names the organisation a bean method works for. A call runs in
 * that organisation's {@link DatabaseScope}, so every transaction it begins sees that organisation's rows only.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TenantId {
}
