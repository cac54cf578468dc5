/**
 * What decisions ask of Asterisk, as data (CallCommand), and the door they send it through (Commands).
 */
package io.callcenter.call.command;
