package io.meshcp.shared.problems;

/** The request named a host this control plane does not answer under: 421. */
public class MisdirectedRequestException extends RuntimeException {

    public MisdirectedRequestException(String message) {
        super(message);
    }
}
