package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import sun.misc.Signal;

class TerminationSignalsTest {

    @Test
    void installsForIntAndTermDeliversAndRestoresThePreviousHandlers() throws InterruptedException {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        // the outer handler stands in for the JVM's default, which would end the test JVM
        TerminationSignals outer = TerminationSignals.install(s -> received.add("outer " + s.getName()));
        try {
            assumeFalse(outer.installed().isEmpty(), "this JVM refuses signal handlers (-Xrs)");
            TerminationSignals inner = TerminationSignals.install(s -> received.add("inner " + s.getName()));
            assertEquals(List.of("INT", "TERM"), inner.installed());

            Signal.raise(new Signal("INT"));
            assertEquals("inner INT", received.poll(10, TimeUnit.SECONDS), "the installed handler receives SIGINT");

            inner.restore();
            assertTrue(inner.installed().isEmpty());
            Signal.raise(new Signal("INT"));
            assertEquals("outer INT", received.poll(10, TimeUnit.SECONDS), "restore puts the previous handler back");

            inner.restore();
            Signal.raise(new Signal("TERM"));
            assertEquals("outer TERM", received.poll(10, TimeUnit.SECONDS), "a second restore changes nothing");
        } finally {
            outer.restore();
        }
    }
}
