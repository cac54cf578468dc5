/**
 * Operating the app: the {@code prod} profile's start-up check of what an operator must set.
 */
package io.callcenter.ops;
