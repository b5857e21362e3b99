package io.membercard.payment.bank;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Redis server of the test's own (a child redis-server process on a free port), so that a test can stop Redis
 * part-way without touching the machine's shared Redis. The port is in {@code membercard.test.redis-port}.
 */
public class DisposableRedis implements QuarkusTestResourceLifecycleManager {
    private Process process;

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is needed for this test", e);
        }
        waitForPort(port);
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port, "membercard.test.redis-port",
                Integer.toString(port));
    }

    private static void waitForPort(int port) {
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /** Stops the test's Redis server (as an outage would). */
    public static void shutdown(int port) {
        try {
            new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "shutdown", "nosave")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
