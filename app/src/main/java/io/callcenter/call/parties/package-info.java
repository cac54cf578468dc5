/**
 * Leg mechanics every room uses: dialling (created, then dialled once in the application), ringing, answering,
 * joining, announcing, hanging up.
 */
package io.callcenter.call.parties;
