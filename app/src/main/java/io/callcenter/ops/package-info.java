/**
 * Operating the app: the {@code prod} profile's start-up check of what an operator must set, and telling a database
 * outage from a bad row ({@link io.callcenter.ops.DatabaseOutage}), which the call engine and the dialer both need.
 * Low in the layering: it names no feature module (the operators' metrics, which watch every module, live in
 * {@code metrics}).
 */
package io.callcenter.ops;
