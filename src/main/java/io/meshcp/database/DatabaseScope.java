package io.meshcp.database;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Whose rows the transactions begun on this thread may see. The database enforces it (row-level security, V13): a
 * transaction takes the scope current when it begins, and a transaction begun outside any scope is refused.
 * <p>
 * Most code never names a scope: a method with a {@link TenantId} parameter runs in that organisation's scope. The
 * system scope sees every organisation and is for the few jobs that are about no single one by nature (finding a key
 * by its hash, logging in by address, signing up, the telemetry writer's mixed groups, retention); each use says why.
 */
public final class DatabaseScope {

    /** A scope: one organisation, or the system (every organisation). */
    public sealed interface Scope permits Tenant, System {
    }

    /** One organisation's rows. */
    public record Tenant(UUID id) implements Scope {

        public Tenant {
            Objects.requireNonNull(id, "a tenant scope needs a tenant id");
        }
    }

    /** Every organisation's rows. */
    public record System() implements Scope {
    }

    private static final System SYSTEM = new System();

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private DatabaseScope() {
    }

    /** What {@code work} returns, run in the organisation's scope. */
    public static <T> T tenant(UUID tenantId, Supplier<T> work) {
        return within(new Tenant(tenantId), work::get);
    }

    public static void tenant(UUID tenantId, Runnable work) {
        within(new Tenant(tenantId), () -> {
            work.run();
            return null;
        });
    }

    /** What {@code work} returns, run in the system scope, which sees every organisation. */
    public static <T> T system(Supplier<T> work) {
        return within(SYSTEM, work::get);
    }

    public static void system(Runnable work) {
        within(SYSTEM, () -> {
            work.run();
            return null;
        });
    }

    /** The scope of this thread, or null. */
    public static Scope current() {
        return CURRENT.get();
    }

    /** Work that may throw anything, as a method invocation does. */
    interface Work<T, E extends Throwable> {
        T run() throws E;
    }

    /**
     * Runs {@code work} in {@code scope}. A narrower or equal scope may be entered from any scope; another
     * organisation's scope may not be entered from one organisation's: that would be a request for one organisation
     * reaching into another's rows, which is a bug wherever it happens.
     */
    static <T, E extends Throwable> T within(Scope scope, Work<T, E> work) throws E {
        Scope outer = CURRENT.get();
        if (outer instanceof Tenant(UUID outerId) && scope instanceof Tenant(UUID id) && !outerId.equals(id)) {
            throw new IllegalStateException("Work for organisation " + id + " was started inside the scope of "
                    + "organisation " + outerId);
        }
        if (scope.equals(outer)) {
            return work.run();
        }
        CURRENT.set(scope);
        try {
            return work.run();
        }
        finally {
            if (outer == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(outer);
            }
        }
    }
}
