package org.gequiv.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf writer for ONNX ModelProto, enough to build small test models (field numbers
 * from onnx.proto3).
 */
final class TinyOnnx {

    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TinyOnnx varint(int field, long v) {
        tag(field, 0);
        raw(v);
        return this;
    }

    TinyOnnx bytes(int field, byte[] b) {
        tag(field, 2);
        raw(b.length);
        out.writeBytes(b);
        return this;
    }

    TinyOnnx string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    TinyOnnx message(int field, TinyOnnx m) {
        return bytes(field, m.out.toByteArray());
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    private void tag(int field, int wire) {
        raw(((long) field << 3) | wire);
    }

    private void raw(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** ValueInfoProto with a tensor type; a dimension < 0 becomes the symbolic "batch". */
    static TinyOnnx valueInfo(String name, int elemType, long... dims) {
        TinyOnnx shape = new TinyOnnx();
        for (long dim : dims) {
            TinyOnnx d = new TinyOnnx();
            if (dim < 0) {
                d.string(2, "batch");
            } else {
                d.varint(1, dim);
            }
            shape.message(1, d);
        }
        TinyOnnx tensor = new TinyOnnx().varint(1, elemType).message(2, shape);
        return new TinyOnnx().string(1, name).message(2, new TinyOnnx().message(1, tensor));
    }

    /** TensorProto (float) as an initializer. */
    static TinyOnnx floatTensor(String name, float[] values, long... dims) {
        TinyOnnx t = new TinyOnnx();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return t.string(8, name).bytes(9, b.array());
    }

    /** TensorProto (int64) as an initializer. */
    static TinyOnnx longTensor(String name, long[] values, long... dims) {
        TinyOnnx t = new TinyOnnx();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, INT64);
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return t.string(8, name).bytes(9, b.array());
    }

    static TinyOnnx node(String op, String[] inputs, String[] outputs, TinyOnnx... attributes) {
        TinyOnnx n = new TinyOnnx();
        for (String i : inputs) {
            n.string(1, i);
        }
        for (String o : outputs) {
            n.string(2, o);
        }
        n.string(4, op);
        for (TinyOnnx a : attributes) {
            n.message(5, a);
        }
        return n;
    }

    static TinyOnnx intAttribute(String name, long value) {
        return new TinyOnnx().string(1, name).varint(3, value).varint(20, 2);
    }

    /** ModelProto, IR version 8, default opset 13. */
    static byte[] model(TinyOnnx[] nodes, TinyOnnx[] initializers, TinyOnnx[] inputs, TinyOnnx[] outputs) {
        TinyOnnx g = new TinyOnnx();
        for (TinyOnnx n : nodes) {
            g.message(1, n);
        }
        g.string(2, "g");
        for (TinyOnnx t : initializers) {
            g.message(5, t);
        }
        for (TinyOnnx i : inputs) {
            g.message(11, i);
        }
        for (TinyOnnx o : outputs) {
            g.message(12, o);
        }
        return new TinyOnnx().varint(1, 8).string(2, "gequiv-test")
                .message(8, new TinyOnnx().string(1, "").varint(2, 13))
                .message(7, g).toBytes();
    }
}
