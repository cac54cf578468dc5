package io.callcenter.call.model;

/** A command that makes no sense in the call's present state: the API answers 409 with the slug and reason. */
public final class CommandRefused extends RuntimeException {

    public final String slug;

    public CommandRefused(String slug, String message) {
        super(message);
        this.slug = slug;
    }
}
