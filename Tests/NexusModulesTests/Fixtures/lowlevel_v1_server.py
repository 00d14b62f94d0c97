#!/usr/bin/env python3
"""A server in the style of mcp-server-sqlite: the `mcp` 1.x low-level API (`@server.list_tools()`).
Under mcp 1.x it serves one tool, hello; under mcp 2.x it dies at start the way published servers do
(AttributeError: 'Server' object has no attribute 'list_tools'), which nexus must name."""
import asyncio

import mcp.types as types
from mcp.server import Server
from mcp.server.stdio import stdio_server

server = Server("lowlevel-v1")


@server.list_tools()
async def list_tools():
    return [types.Tool(name="hello", description="Says hello", inputSchema={"type": "object", "properties": {}})]


@server.call_tool()
async def call_tool(name, arguments):
    return [types.TextContent(type="text", text="hello from mcp 1.x")]


async def main():
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


asyncio.run(main())
