package io.callcenter.it;

import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteListenerProvider;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultExecuteListenerProvider;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.function.Consumer;

/** Benchmarks see every statement the app's jOOQ starts, with its bind values, to EXPLAIN what the app really ran. */
final class AppStatements {

    private AppStatements() {
    }

    static void onStart(TestApp app, Consumer<ExecuteContext> listener) {
        DefaultConfiguration configuration = (DefaultConfiguration) app.bean(DSLContext.class).configuration();
        var providers = new ArrayList<>(Arrays.asList(configuration.executeListenerProviders()));
        providers.add(new DefaultExecuteListenerProvider(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                listener.accept(ctx);
            }
        }));
        configuration.set(providers.toArray(new ExecuteListenerProvider[0]));
    }
}
