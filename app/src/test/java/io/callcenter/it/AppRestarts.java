package io.callcenter.it;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The apps a restart test starts one after the other on one database, and the phones that outlive them; whatever is
 * still running is closed after the test and Asterisk is left idle for the next.
 */
final class AppRestarts implements AutoCloseable {

    final TestPhones phones = new TestPhones();
    private final List<TestApp> apps = new ArrayList<>();

    TestApp start(Supplier<TestApp> starter) {
        TestApp app = starter.get();
        apps.add(app);
        return app;
    }

    /** The app stops as in production; Asterisk keeps its calls and bridges. */
    void stop(TestApp app) {
        app.close();
        apps.remove(app);
    }

    @Override
    public void close() {
        phones.close();
        apps.forEach(TestApp::close);
        TestAsterisk.get().awaitIdle(TestPhones.SETTLE, TestPhones.AGENT_EXTENSIONS);
    }
}
