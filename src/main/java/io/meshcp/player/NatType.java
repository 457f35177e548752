package io.meshcp.player;

/** The NAT behaviour a player detected; without TURN, symmetric NAT limits whom it can reach. */
public enum NatType implements WireCode {
    OPEN, FULL_CONE, RESTRICTED, PORT_RESTRICTED, SYMMETRIC, UNKNOWN;

    /**
     * Without TURN, two peers behind NATs that both pick a new port per destination cannot reach each other:
     * symmetric with symmetric, and symmetric with port-restricted. Every other pair is tried; unknown NAT
     * types are given the benefit of the doubt.
     */
    public boolean canConnect(NatType other) {
        return !(blocks(this, other) || blocks(other, this));
    }

    private static boolean blocks(NatType a, NatType b) {
        return a == SYMMETRIC && (b == SYMMETRIC || b == PORT_RESTRICTED);
    }
}
