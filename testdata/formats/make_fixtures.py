"""Reference files written by the reference libraries (not by ibllm), for ibllm's format tests.

Run once with numpy 2.4.6, gguf 0.19.0 (llama.cpp's gguf-py) and safetensors 0.8.0:
    python3 make_fixtures.py
Every expected value the Java tests compare with is either an input listed here or produced
by these libraries (gguf.quants.dequantize), never by ibllm.
"""
import numpy as np
import gguf
from gguf.quants import quantize, dequantize
from gguf import GGMLQuantizationType as Q
from safetensors.numpy import save_file

rng = np.random.default_rng(1234)

# ---- GGUF: every metadata value type, arrays (incl. nested), five tensor types ----
def write_gguf(path, alignment=None):
    rng = np.random.default_rng(99)  # both GGUF files hold the same tensors
    w = gguf.GGUFWriter(path, "llama")
    if alignment:
        w.add_custom_alignment(alignment)
    w.add_uint8("t.u8", 200)
    w.add_int8("t.i8", -100)
    w.add_uint16("t.u16", 60000)
    w.add_int16("t.i16", -30000)
    w.add_uint32("t.u32", 4000000000)
    w.add_int32("t.i32", -2000000000)
    w.add_float32("t.f32", 0.1)
    w.add_uint64("t.u64", 2**63 + 5)
    w.add_int64("t.i64", -(2**62))
    w.add_float64("t.f64", 2.718281828459045)
    w.add_bool("t.bool", True)
    w.add_string("t.str", "héllo wörld")
    w.add_array("t.arr_i32", [1, -2, 3])
    w.add_array("t.arr_str", ["a", "", "ccc"])
    w.add_array("t.arr_f32", [0.5, -1.25])
    w.add_array("t.arr_nested", [[1, 2], [3]])
    tensors = {}
    tensors["f32"] = rng.standard_normal((3, 5)).astype(np.float32)
    tensors["f16"] = rng.standard_normal((4, 8)).astype(np.float16)
    for name, shape in [("q8_0", (2, 64)), ("q4_0", (3, 32))]:
        tensors[name] = rng.standard_normal(shape).astype(np.float32)
    w.add_tensor("f32", tensors["f32"])
    w.add_tensor("f16", tensors["f16"])
    q8 = quantize(tensors["q8_0"], Q.Q8_0)
    q4 = quantize(tensors["q4_0"], Q.Q4_0)
    w.add_tensor("q8_0", q8, raw_dtype=Q.Q8_0)
    w.add_tensor("q4_0", q4, raw_dtype=Q.Q4_0)
    bf = rng.standard_normal((2, 3)).astype(np.float32)
    bf_bits = (bf.view(np.uint32) >> 16).astype(np.uint16)
    w.add_tensor("bf16", bf_bits.view(np.uint8).reshape(2, 6), raw_dtype=Q.BF16)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return {"f32": tensors["f32"], "f16": tensors["f16"].astype(np.float32),
            "q8_0": dequantize(q8, Q.Q8_0), "q4_0": dequantize(q4, Q.Q4_0),
            "bf16": (bf_bits.astype(np.uint32) << 16).view(np.float32)}

expected = write_gguf("reference.gguf")
write_gguf("reference_align64.gguf", alignment=64)
for k, v in expected.items():
    np.save(f"reference_gguf_{k}.npy", v.astype(np.float32))

# ---- safetensors (byte-for-byte reference for the writer) ----
st = {
    "b.weight": rng.standard_normal((2, 3)).astype(np.float32),
    "a.half": rng.standard_normal((5,)).astype(np.float16),
    "c.count": np.array(7, dtype=np.int64),
    "d.mask": np.array([True, False, True]),
    "e.bytes": np.arange(6, dtype=np.uint8).reshape(3, 2),
    "f.double": rng.standard_normal((1, 2)).astype(np.float64),
}
save_file(st, "reference.safetensors", metadata={"format": "np", "note": "ibllm fixture"})

# ---- .npy: versions 1-3, dtypes, C and Fortran order ----
base = rng.standard_normal((3, 4))
arrays = {"f2": base.astype(np.float16), "f4": base.astype(np.float32), "f8": base,
          "i4": (base * 100).astype(np.int32), "i8": (base * 1e6).astype(np.int64),
          "u1": (np.abs(base) * 50).astype(np.uint8), "b1": base > 0}
for name, a in arrays.items():
    for version in [(1, 0), (2, 0), (3, 0)]:
        for order in ["C", "F"]:
            arr = np.asfortranarray(a) if order == "F" else np.ascontiguousarray(a)
            with open(f"npy_{name}_v{version[0]}_{order}.npy", "wb") as f:
                np.lib.format.write_array(f, arr, version=version)
np.save("npy_object.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
np.save("npy_big_endian.npy", base.astype(">f4"))
np.save("npy_expected_f8.npy", base)
