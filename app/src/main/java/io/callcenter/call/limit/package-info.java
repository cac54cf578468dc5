/**
 * The team's talk-time limit: a warning, the end by the app, and Asterisk's backstop.
 */
package io.callcenter.call.limit;
