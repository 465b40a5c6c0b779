package org.gequiv.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Headers that claim what no file can hold are refused before anything is allocated. */
class NpyHeaderLimitsTest {

    /** A version 1.0 npy file with the given header dictionary and {@code data} bytes after it. */
    private static byte[] npy(String dict, int data) {
        String header = dict + " ".repeat(Math.max(0, 117 - dict.length())) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        out.write(h.length & 0xFF);
        out.write(h.length >>> 8);
        out.writeBytes(h);
        out.writeBytes(new byte[data]);
        return out.toByteArray();
    }

    private static NpyArray read(byte[] b) throws IOException {
        return Npy.read(new ByteArrayInputStream(b), "claim.npy");
    }

    @Test
    void aHeaderClaimingTenToTheTwelveElementsIsRefused() {
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> read(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", 64)));
        assertEquals("claim.npy: array size must fit in a Java array, got shape (1000000, 1000000)", e.getMessage());
    }

    @Test
    void aHeaderClaimingMoreDataThanTheFileHasIsTruncation() {
        // 2^27 doubles (1 GiB) claimed, 64 bytes present: refused without allocating the claim
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> read(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (134217727,), }", 64)));
        assertTrue(e.getMessage().startsWith("claim.npy: truncated file: array data of shape (134217727,)"),
                e.getMessage());
    }

    @Test
    void dimensionsAreAsciiIntegers() throws IOException {
        for (String shape : new String[] {"(\u0663, 2)", "(-1, 2)", "(+2, 3)", "(1e3,)", "(99999999999999999999,)"}) {
            NpyFormatException e = assertThrows(NpyFormatException.class,
                    () -> read(npy("{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }", 48)), shape);
            assertTrue(e.getMessage().startsWith("claim.npy: malformed header: expected "), e.getMessage());
        }
        // numpy's Python 2 long literals are accepted
        assertEquals(6, read(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3L, 2L), }", 48)).size());
    }
}
