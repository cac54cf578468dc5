/**
 * The operators' metrics on {@code /actuator/prometheus} (Micrometer): call setup, live calls, agents by state, the
 * webhook inbox, the dialer. A top module: it listens to every other one and nothing depends on it.
 */
package io.callcenter.metrics;
