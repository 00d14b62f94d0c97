# hostile: opens 10,000 files
# modes: exec validate integration
# expect: limit:open_files
files = [open("/dev/null") for _ in range(10000)]
print("ESCAPED: opened %d files" % len(files))
