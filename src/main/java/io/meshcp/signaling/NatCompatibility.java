package io.meshcp.signaling;

/**
 * Without TURN, two peers behind NATs that both pick a new port per destination cannot reach each
 * other: symmetric with symmetric, and symmetric with port-restricted. Every other pair is tried;
 * unknown NAT types are given the benefit of the doubt.
 */
final class NatCompatibility {

    private NatCompatibility() {
    }

    static boolean canConnect(String a, String b) {
        return !(blocks(a, b) || blocks(b, a));
    }

    private static boolean blocks(String a, String b) {
        return "symmetric".equals(a) && ("symmetric".equals(b) || "port-restricted".equals(b));
    }
}
