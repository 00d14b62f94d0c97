#!/usr/bin/env python3
"""A FastMCP server built on the real `mcp` package from PyPI, 1.x (FastMCP) or 2.x (MCPServer), for
nexus's MCP revision tests. The same tools on both, so one test runs against each SDK:

  weather(city)      outputSchema (temperature: number, conditions: string); structuredContent matches
  lying_weather()    outputSchema says temperature is a number; structuredContent has the string "hot"
  link(name)         a resource_link content item (uri file:///srv/<name>, name <name>)
  fail(reason)       raises: the SDK answers isError true with the reason
  "bad name!"        an invalid tool name (space and '!'): nexus must never offer it
  confirm()          2.x only: input_required (an elicitation) on the first round
  stateful()         2.x only: input_required with only requestState; done on the retry that echoes it
"""
import sys
from typing import Annotated

try:  # mcp 2.x
    from mcp.server.mcpserver import MCPServer as Server
    from mcp_types import CallToolResult, ResourceLink, TextContent
    MAJOR = 2
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import FastMCP as Server
    from mcp.types import CallToolResult, ResourceLink, TextContent
    MAJOR = 1
from pydantic import BaseModel


class Weather(BaseModel):
    temperature: float
    conditions: str


server = Server("sdk-fixture")


@server.tool()
def weather(city: str) -> Weather:
    """Weather for a city (structured)."""
    return Weather(temperature=21.5, conditions="sunny in " + city)


@server.tool()
def lying_weather() -> Annotated[CallToolResult, Weather]:
    """Declares Weather as its output, returns a temperature that is not a number."""
    # pydantic (lax) accepts "21" as a float, so the SDK lets it through; JSON Schema's "number" does not.
    return CallToolResult(content=[TextContent(type="text", text="21")],
                          structuredContent={"temperature": "21", "conditions": "sunny"})


@server.tool()
def link(name: str) -> list:
    """A link to a resource."""
    return [ResourceLink(type="resource_link", uri="file:///srv/" + name, name=name, mimeType="text/plain")]


@server.tool()
def fail(reason: str) -> str:
    """Always fails with the reason."""
    raise ValueError("failed because " + reason)


@server.tool(name="bad name!")
def bad_name() -> str:
    """A tool whose name breaks the MCP 2025-11-25 rules."""
    return "should never be called"


if MAJOR == 2:
    from mcp.server.mcpserver import Context
    from mcp_types import ElicitRequest, ElicitRequestFormParams, InputRequiredResult

    @server.tool()
    def confirm(ctx: Context) -> InputRequiredResult | str:
        """Asks the user to confirm (input_required with an elicitation)."""
        if ctx.input_responses:
            return "confirmed"
        ask = ElicitRequest(params=ElicitRequestFormParams(
            message="Please confirm the deletion of /srv/data",
            requestedSchema={"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}))
        return InputRequiredResult(inputRequests={"confirm_delete": ask})

    @server.tool()
    def stateful(ctx: Context) -> InputRequiredResult | str:
        """input_required with only requestState; answers once the state comes back."""
        if ctx.request_state == "round-1":
            return "done after state round-1"
        return InputRequiredResult(requestState="round-1")


if __name__ == "__main__":
    sys.stderr.write("sdk fixture: mcp %d\n" % MAJOR)
    sys.stderr.flush()
    server.run()
