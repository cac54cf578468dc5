package io.callcenter.call.store;

import java.util.List;

/** One page of calls, newest first; {@code nextCursor} is null on the last page. */
public record CallPage(List<CallView> items, String nextCursor) {
}
