package io.wasmgateway.it.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Runs once per test JVM, before any test class is loaded: BlockHound and Netty's leak recorder. */
public class ItSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NettyLeaks.install();
        BlockingCalls.install();
    }
}
