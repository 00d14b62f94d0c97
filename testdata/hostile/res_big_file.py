# hostile: writes a 2 GiB file
# modes: exec validate integration
# expect: limit:file_size
chunk = b"x" * (1 << 20)
with open("/tmp/big", "wb") as f:
    for _ in range(2048):
        f.write(chunk)
print("ESCAPED: wrote 2 GiB")
