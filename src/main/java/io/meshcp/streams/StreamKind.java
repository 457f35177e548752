package io.meshcp.streams;

public enum StreamKind {
    LIVE, VOD
}
