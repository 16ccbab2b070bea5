package io.wasmgateway.it.support;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails a test class after which Netty reported a leaked buffer or BlockHound saw a blocking call on a
 * non-blocking thread. Registered for every test class (JUnit's extension auto-detection).
 */
public class RuntimeChecks implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> problems = new ArrayList<>(NettyLeaks.collect());
        problems.addAll(BlockingCalls.drain().stream().map(call -> "blocking call: " + call).toList());
        assertThat(problems).as("Netty leaks and blocking calls during " + context.getDisplayName()).isEmpty();
    }
}
