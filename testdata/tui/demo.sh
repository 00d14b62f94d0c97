#!/bin/sh
# Manual check of the TUI without providers: runs the scripted session from NexusTUITests in this
# terminal (type a message; `long` streams 400 words; /install asks for approval; /help; Ctrl-D quits).
# The automated checks are Tests/NexusTUITests/TUITmuxTests.swift (scripted session in tmux) and
# Tests/EndToEndTests/TUITests.swift (the built nexus in tmux against a fake provider).
set -e
cd "$(dirname "$0")/../.."
swift build --build-tests >/dev/null
exec env NEXUS_TUI_DEMO=1 .build/debug/nexusPackageTests.xctest --testing-library swift-testing --filter tuiDemo
