/**
 * After a reconnect or a restart: calls whose parties survived go on, the rest are closed with what happened.
 */
package io.callcenter.call.reconcile;
