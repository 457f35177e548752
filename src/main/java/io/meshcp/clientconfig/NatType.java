package io.meshcp.clientconfig;

/** The NAT behaviour a player detected; without TURN, symmetric NAT limits whom it can reach. */
enum NatType {
    OPEN("open"), FULL_CONE("full-cone"), RESTRICTED("restricted"), PORT_RESTRICTED("port-restricted"),
    SYMMETRIC("symmetric"), UNKNOWN("unknown");

    private final String code;

    NatType(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }

    static NatType parse(String code) {
        for (NatType type : values()) {
            if (type.code.equals(code)) {
                return type;
            }
        }
        return null;
    }
}
