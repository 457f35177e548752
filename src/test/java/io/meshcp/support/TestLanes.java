package io.meshcp.support;

/**
 * The suite's two lanes (src/test/resources/junit-platform.properties). A class marked
 * {@code @Execution(CONCURRENT) @ResourceLock(TestLanes.SECOND)} runs in the second lane, one such class at a time,
 * beside the classes of the first, which run one after another. The second lane holds the player tests, which spend
 * minutes watching real videos play, and as many of the dashboard's browser tests as keep the two lanes about as
 * long: a class belongs there only if it changes nothing the whole JVM or the shared application sees (logging,
 * the console, a database of its own, nodes of its own).
 */
public final class TestLanes {

    public static final String SECOND = "second-lane";

    private TestLanes() {
    }
}
