/**
 * The call, its legs and its transfer as data with their legal transitions; changed only by the rooms' decisions
 * on the call's lane.
 */
package io.callcenter.call.model;
