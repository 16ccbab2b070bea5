package io.wasmgateway.gateway;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.beans.factory.DisposableBean;

/**
 * The one thread that runs filters' timers (proxy_on_tick). Its tasks only hand ticks to VM lanes, so one
 * thread serves every module; it stops with the application. Not a bean of type ScheduledExecutorService, so
 * that Spring's own scheduling never picks it up.
 */
public class WasmTimers implements DisposableBean {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "wasm-timer");
        thread.setDaemon(true);
        return thread;
    });

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
