"""A minimal GGUF v3 writer and reader, written from the GGUF specification (ggml docs/gguf.md).

Layout: magic "GGUF", u32 version, u64 tensor count, u64 metadata count; metadata key/value pairs
(string = u64 length + UTF-8 bytes; value = u32 type + payload; arrays = u32 element type + u64 count
+ elements); tensor infos (name, u32 n_dims, u64 dims innermost first, u32 ggml type, u64 offset
relative to the data section); padding to `general.alignment` (32); tensor data, each aligned.
"""
import struct

import numpy as np

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
ALIGNMENT = 32

UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)
_SCALAR = {UINT8: "<B", INT8: "<b", UINT16: "<H", INT16: "<h", UINT32: "<I", INT32: "<i",
           FLOAT32: "<f", BOOL: "<?", UINT64: "<Q", INT64: "<q", FLOAT64: "<d"}
GGML_F32, GGML_F16 = 0, 1
_NP_TYPE = {GGML_F32: np.float32, GGML_F16: np.float16}


class Value:
    """A typed metadata value; arrays carry their element type."""

    def __init__(self, vtype, value, elem_type=None):
        self.vtype, self.value, self.elem_type = vtype, value, elem_type

    def __repr__(self):
        return "Value(%d, %r)" % (self.vtype, self.value)


def u32(v): return Value(UINT32, int(v))
def f32(v): return Value(FLOAT32, float(v))
def string(v): return Value(STRING, str(v))
def boolean(v): return Value(BOOL, bool(v))
def array(elem_type, values): return Value(ARRAY, list(values), elem_type)


def _pack_string(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def _pack_payload(vtype, value):
    if vtype == STRING:
        return _pack_string(value)
    return struct.pack(_SCALAR[vtype], value)


def _pack_value(v):
    out = struct.pack("<I", v.vtype)
    if v.vtype == ARRAY:
        out += struct.pack("<IQ", v.elem_type, len(v.value))
        if v.elem_type == STRING:
            out += b"".join(_pack_string(s) for s in v.value)
        else:
            out += np.asarray(v.value, dtype=np.dtype(_SCALAR[v.elem_type])).tobytes()
        return out
    return out + _pack_payload(v.vtype, v.value)


def _pad(n):
    return (ALIGNMENT - n % ALIGNMENT) % ALIGNMENT


def write_gguf(path, metadata, tensors):
    """metadata: ordered dict key -> Value; tensors: list of (name, numpy array in PyTorch layout, ggml type).

    Dims are written reversed (ggml's ne[0] is the innermost, contiguous dimension).
    """
    head = GGUF_MAGIC + struct.pack("<IQQ", GGUF_VERSION, len(tensors), len(metadata))
    for k, v in metadata.items():
        head += _pack_string(k) + _pack_value(v)
    blobs, offset = [], 0
    for name, arr, gtype in tensors:
        data = np.ascontiguousarray(arr, dtype=_NP_TYPE[gtype]).tobytes()
        dims = list(reversed(arr.shape))
        head += _pack_string(name) + struct.pack("<I", len(dims)) + struct.pack("<%dQ" % len(dims), *dims)
        head += struct.pack("<IQ", gtype, offset)
        blobs.append(data + b"\0" * _pad(len(data)))
        offset += len(blobs[-1])
    with open(path, "wb") as f:
        f.write(head + b"\0" * _pad(len(head)))
        for b in blobs:
            f.write(b)


class _Reader:
    def __init__(self, buf):
        self.buf, self.pos = buf, 0

    def take(self, fmt):
        v = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return v[0] if len(v) == 1 else v

    def string(self):
        n = self.take("<Q")
        s = self.buf[self.pos:self.pos + n].decode("utf-8")
        self.pos += n
        return s

    def value(self, vtype):
        if vtype == STRING:
            return self.string()
        if vtype == ARRAY:
            et, n = self.take("<I"), self.take("<Q")
            return [self.value(et) for _ in range(n)]
        return self.take(_SCALAR[vtype])


def read_gguf(path):
    """Returns (version, metadata {key: python value}, tensors {name: numpy array in PyTorch layout})."""
    with open(path, "rb") as f:
        buf = f.read()
    r = _Reader(buf)
    if buf[:4] != GGUF_MAGIC:
        raise ValueError("not a GGUF file: %s" % path)
    r.pos = 4
    version, n_tensors, n_kv = r.take("<I"), r.take("<Q"), r.take("<Q")
    meta = {}
    for _ in range(n_kv):
        k = r.string()
        meta[k] = r.value(r.take("<I"))
    infos = []
    for _ in range(n_tensors):
        name = r.string()
        nd = r.take("<I")
        dims = [r.take("<Q") for _ in range(nd)]
        gtype, off = r.take("<I"), r.take("<Q")
        infos.append((name, dims, gtype, off))
    align = meta.get("general.alignment", ALIGNMENT)
    start = r.pos + (align - r.pos % align) % align
    tensors = {}
    for name, dims, gtype, off in infos:
        dt = np.dtype(_NP_TYPE[gtype])
        count = int(np.prod(dims))
        arr = np.frombuffer(buf, dtype=dt, count=count, offset=start + off)
        tensors[name] = arr.reshape(list(reversed(dims)))
    return version, meta, tensors
