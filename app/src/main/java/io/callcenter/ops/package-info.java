/**
 * Operating the app: the {@code prod} profile's start-up check of what an operator must set, and the operators'
 * metrics ({@code ops/metrics}, on {@code /actuator/prometheus}).
 */
package io.callcenter.ops;
