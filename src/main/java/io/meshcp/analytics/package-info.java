/**
 * Analytics: offload, savings, concurrency, quality and battery cost from the telemetry sums, with the
 * p2p cohort compared against the holdout cohort. Definitions in docs/analytics.md.
 */
package io.meshcp.analytics;
