package io.wasmgateway.host.vm;

/**
 * Ends the root context of a plugin no route uses any more, on one VM instance, in proxy-wasm-cpp-host's order
 * ({@code WasmBase::startShutdown}): its tick timer and queue registrations stop, proxy_on_done runs, and then
 * proxy_on_delete; when proxy_on_done returns false the root finishes later, proxy_on_delete running after the
 * call in which the filter calls proxy_done.
 */
final class RootRelease {

    private RootRelease() {
    }

    /** Takes the plugin's root context off the instance and finishes it on the instance's lane. */
    static void release(VmInstance vm, PluginRuntime plugin) {
        RootContext root = vm.rootOf(plugin);
        if (root == null) {
            return;
        }
        vm.removeRoot(plugin);
        vm.runRootWork(GuestCallbacks.ON_DONE, root, () -> done(vm, root), () -> {
            vm.unregister(root.id()); // a broken instance runs no guest code; it is replaced without this plugin
            return null;
        });
    }

    private static Void done(VmInstance vm, RootContext root) {
        root.stopTick();
        vm.stopQueues(root);
        Integer done = vm.call(GuestCallbacks.ON_DONE, root.id());
        if (done == null || done != 0) {
            delete(vm, root);
        } else {
            root.awaitDone();
        }
        return null;
    }

    /** proxy_done on a root context that awaits it: proxy_on_delete once the running call is over. */
    static void doneCalled(VmInstance vm, RootContext root) {
        if (root.takeAwaitedDone()) {
            vm.runRootWork(GuestCallbacks.ON_DELETE, root, () -> delete(vm, root), () -> {
                vm.unregister(root.id());
                return null;
            });
        }
    }

    private static Void delete(VmInstance vm, RootContext root) {
        vm.call(GuestCallbacks.ON_DELETE, root.id());
        vm.unregister(root.id());
        return null;
    }
}
