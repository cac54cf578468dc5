/**
 * What every call shares whatever its flow: the callee answering, settling what follows from who is still there,
 * the end, the safe way out; and the flow interfaces.
 */
package io.callcenter.call.lifecycle;
