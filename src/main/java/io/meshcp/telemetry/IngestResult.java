package io.meshcp.telemetry;

import java.util.List;

/**
 * The answer to a telemetry batch: how many events were stored now, how many had been stored before
 * (replays), and which were rejected and why, by their index in the batch.
 */
record IngestResult(int accepted, int duplicates, List<Rejection> rejected) {

    record Rejection(int index, String reason) {
    }
}
