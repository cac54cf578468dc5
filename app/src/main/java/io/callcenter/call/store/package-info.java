/**
 * Calls, legs, events and recordings in PostgreSQL (jOOQ), and the views the API answers with.
 */
package io.callcenter.call.store;
