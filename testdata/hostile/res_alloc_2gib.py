# hostile: allocates and touches 2 GiB of memory
# modes: exec validate integration
# expect: limit:memory
b = bytearray(2 << 30)
for i in range(0, len(b), 4096):
    b[i] = 1
print("ESCAPED: allocated 2 GiB")
