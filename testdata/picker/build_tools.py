#!/usr/bin/env python3
"""Writes testdata/picker/tools.jsonl: the real-ish tool catalogue of the picker benchmark.

Apps and tool lists are modelled on real MCP servers (GitHub, Slack, Gmail, Google Calendar/Drive, Notion, Linear,
Jira, filesystem, Stripe, ...); the descriptions are written in our own words. The servers that run here
(mcp-server-time, mcp-server-git, mcp-server-fetch, mcp-server-sqlite from PyPI) contribute their exact tool
lists, captured by `list_real_servers.py` into real_servers.json. Tool names are namespaced `app__tool` as nexus
namespaces a module's tools. Deterministic: `python3 testdata/picker/build_tools.py > testdata/picker/tools.jsonl`.

Param spec: "name" optional string, "name!" required, "name:integer" typed, "name!:array" both.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

APPS = {
    "github": [
        ("create_issue", "Open a new issue in a GitHub repository with a title, body, labels and assignees.",
         "owner!,repo!,title!,body,labels:array,assignees:array"),
        ("list_issues", "List issues in a GitHub repository, filtered by state, labels or assignee.",
         "owner!,repo!,state,labels:array,assignee"),
        ("get_issue", "Get one GitHub issue with its body, labels and state.", "owner!,repo!,issue_number!:integer"),
        ("update_issue", "Change an existing GitHub issue: title, body, state, labels, assignees or milestone.",
         "owner!,repo!,issue_number!:integer,title,body,state,labels:array"),
        ("add_issue_comment", "Add a comment to a GitHub issue or pull request conversation.",
         "owner!,repo!,issue_number!:integer,body!"),
        ("search_issues", "Search issues and pull requests across GitHub with the issue search syntax.", "q!,sort"),
        ("create_pull_request", "Open a pull request on GitHub proposing to merge a head branch into a base branch.",
         "owner!,repo!,title!,head!,base!,body,draft:boolean"),
        ("list_pull_requests", "List pull requests of a GitHub repository by state, base or head branch.",
         "owner!,repo!,state,base,head"),
        ("get_pull_request", "Get the details of one GitHub pull request.", "owner!,repo!,pull_number!:integer"),
        ("get_pull_request_files", "List the files changed in a GitHub pull request with their patches.",
         "owner!,repo!,pull_number!:integer"),
        ("get_pull_request_status", "Get the combined status of the CI checks on a GitHub pull request's head.",
         "owner!,repo!,pull_number!:integer"),
        ("merge_pull_request", "Merge a GitHub pull request with a merge, squash or rebase commit.",
         "owner!,repo!,pull_number!:integer,merge_method,commit_title"),
        ("create_pull_request_review", "Submit a review on a GitHub pull request: approve, request changes or comment.",
         "owner!,repo!,pull_number!:integer,event!,body"),
        ("request_reviewers", "Ask users or teams to review a GitHub pull request.",
         "owner!,repo!,pull_number!:integer,reviewers!:array"),
        ("get_file_contents", "Read a file or list a directory from a GitHub repository at a branch or commit.",
         "owner!,repo!,path!,ref"),
        ("create_or_update_file", "Create or update a single file in a GitHub repository with a commit.",
         "owner!,repo!,path!,content!,message!,branch!,sha"),
        ("push_files", "Commit several files to a GitHub branch in one push.",
         "owner!,repo!,branch!,files!:array,message!"),
        ("create_branch", "Create a new branch in a GitHub repository from another branch.",
         "owner!,repo!,branch!,from_branch"),
        ("list_commits", "List the commits of a branch in a GitHub repository.", "owner!,repo!,sha,per_page:integer"),
        ("search_code", "Search source code across GitHub repositories.", "q!"),
        ("search_repositories", "Find GitHub repositories by name, topic or description.", "query!"),
        ("create_repository", "Create a new GitHub repository in your account.",
         "name!,description,private:boolean,auto_init:boolean"),
        ("fork_repository", "Fork a GitHub repository to your account or an organization.",
         "owner!,repo!,organization"),
        ("list_workflow_runs", "List GitHub Actions workflow runs of a repository, with their status and conclusion.",
         "owner!,repo!,workflow_id,status"),
        ("rerun_workflow", "Re-run a failed GitHub Actions workflow run.", "owner!,repo!,run_id!:integer"),
        ("create_release", "Publish a GitHub release for a tag with release notes.",
         "owner!,repo!,tag_name!,name,body,draft:boolean"),
        ("list_notifications", "List your unread GitHub notifications.", "all:boolean,participating:boolean"),
    ],
    "gitlab": [
        ("create_merge_request", "Open a GitLab merge request from a source branch to a target branch.",
         "project_id!,source_branch!,target_branch!,title!,description"),
        ("list_merge_requests", "List merge requests of a GitLab project.", "project_id!,state"),
        ("create_issue", "Create an issue in a GitLab project.", "project_id!,title!,description,labels"),
        ("list_pipelines", "List the CI/CD pipelines of a GitLab project and their status.", "project_id!,ref,status"),
        ("retry_pipeline", "Retry the failed jobs of a GitLab pipeline.", "project_id!,pipeline_id!:integer"),
        ("get_file_contents", "Read a file from a GitLab repository.", "project_id!,file_path!,ref"),
    ],
    "slack": [
        ("list_channels", "List the public channels in the Slack workspace.", "limit:integer,cursor"),
        ("post_message", "Post a new message to a Slack channel.", "channel_id!,text!"),
        ("reply_to_thread", "Reply inside a Slack message thread.", "channel_id!,thread_ts!,text!"),
        ("add_reaction", "Add an emoji reaction to a Slack message.", "channel_id!,timestamp!,reaction!"),
        ("get_channel_history", "Get the recent messages posted in a Slack channel.", "channel_id!,limit:integer"),
        ("get_thread_replies", "Get all the replies in a Slack message thread.", "channel_id!,thread_ts!"),
        ("get_users", "List the members of the Slack workspace with their basic profile.", "limit:integer"),
        ("get_user_profile", "Get the detailed profile of one Slack user.", "user_id!"),
        ("send_direct_message", "Send a private direct message to one Slack user.", "user_id!,text!"),
        ("search_messages", "Search Slack messages across channels by words, sender or date.", "query!,count:integer"),
        ("set_status", "Set your Slack status text and emoji, optionally expiring.", "status_text!,status_emoji"),
        ("create_channel", "Create a new Slack channel, public or private.", "name!,is_private:boolean"),
        ("schedule_message", "Schedule a Slack message to be posted to a channel at a later time.",
         "channel_id!,text!,post_at!"),
        ("upload_file", "Upload a file into a Slack channel.", "channels!,file_path!,title"),
        ("set_reminder", "Create a Slack reminder for yourself or someone else.", "text!,time!,user"),
    ],
    "discord": [
        ("send_message", "Send a message to a Discord channel in a server.", "channel_id!,content!"),
        ("read_messages", "Read recent messages from a Discord channel.", "channel_id!,limit:integer"),
        ("list_servers", "List the Discord servers (guilds) the bot belongs to.", ""),
        ("add_reaction", "React to a Discord message with an emoji.", "channel_id!,message_id!,emoji!"),
        ("create_thread", "Start a thread from a Discord message.", "channel_id!,message_id!,name!"),
    ],
    "gmail": [
        ("send_email", "Send an email from your Gmail account to one or more recipients.",
         "to!:array,subject!,body!,cc:array,bcc:array"),
        ("draft_email", "Save an email as a Gmail draft without sending it.", "to:array,subject,body"),
        ("read_email", "Read the full content of one Gmail message by id.", "message_id!"),
        ("search_emails", "Search Gmail messages with Gmail's search operators (from:, subject:, after:).",
         "query!,max_results:integer"),
        ("list_unread", "List unread messages in the Gmail inbox.", "max_results:integer"),
        ("reply_to_email", "Reply to a Gmail message in its thread.", "message_id!,body!,reply_all:boolean"),
        ("forward_email", "Forward a Gmail message to other recipients.", "message_id!,to!:array,note"),
        ("modify_labels", "Add or remove labels on a Gmail message, e.g. to archive it or star it.",
         "message_id!,add_labels:array,remove_labels:array"),
        ("delete_email", "Move a Gmail message to the trash.", "message_id!"),
        ("list_labels", "List all the labels in the Gmail account.", ""),
        ("create_label", "Create a new Gmail label.", "name!"),
        ("create_filter", "Create a Gmail filter that acts on matching incoming mail.",
         "criteria!,action!"),
        ("download_attachment", "Download an attachment of a Gmail message to a local file.",
         "message_id!,attachment_id!,save_path"),
        ("batch_archive", "Archive many Gmail messages at once (remove them from the inbox).", "message_ids!:array"),
        ("set_vacation_responder", "Turn Gmail's out-of-office auto-reply on or off with a message.",
         "enabled!:boolean,subject,message,end_date"),
    ],
    "outlook": [
        ("send_mail", "Send an email with Outlook (Microsoft 365 mail).", "to!:array,subject!,body!"),
        ("list_messages", "List messages in an Outlook mail folder.", "folder,top:integer"),
        ("search_mail", "Search Outlook mail by words, sender or date.", "query!"),
        ("list_events", "List events on your Outlook calendar between two dates.", "start!,end!"),
        ("create_event", "Create an event on your Outlook calendar and invite attendees.",
         "subject!,start!,end!,attendees:array"),
    ],
    "google_calendar": [
        ("list_events", "List events on a Google Calendar between two dates.", "calendar_id,time_min!,time_max!"),
        ("create_event", "Create a Google Calendar event with a title, start, end, location and guests.",
         "summary!,start!,end!,location,attendees:array,description"),
        ("update_event", "Change the time, title, place or guests of an existing Google Calendar event.",
         "event_id!,summary,start,end,location,attendees:array"),
        ("delete_event", "Delete an event from Google Calendar and notify guests.", "event_id!,send_updates"),
        ("search_events", "Find Google Calendar events by words in their title or description.", "query!"),
        ("find_free_time", "Find free slots when all the given people are available in Google Calendar.",
         "attendees!:array,duration_minutes!:integer,time_min,time_max"),
        ("list_calendars", "List the calendars you can see in Google Calendar.", ""),
        ("respond_to_event", "Accept, decline or tentatively answer a Google Calendar invitation.",
         "event_id!,response!"),
        ("quick_add", "Create a Google Calendar event from a sentence like 'Lunch with Ana Friday 1pm'.", "text!"),
    ],
    "google_drive": [
        ("search_files", "Search Google Drive files by name or full text.", "query!,mime_type"),
        ("read_file", "Read the contents of a Google Drive file; Docs and Sheets are exported as text.", "file_id!"),
        ("upload_file", "Upload a local file into a Google Drive folder.", "path!,folder_id,name"),
        ("create_folder", "Create a folder in Google Drive.", "name!,parent_id"),
        ("move_file", "Move a Google Drive file to another folder.", "file_id!,folder_id!"),
        ("share_file", "Share a Google Drive file with people and set their role (viewer, commenter, editor).",
         "file_id!,email!,role!"),
        ("list_recent_files", "List the files you opened or changed recently in Google Drive.", "limit:integer"),
        ("delete_file", "Move a Google Drive file to the trash.", "file_id!"),
        ("export_file", "Export a Google Doc, Sheet or Slides file to PDF, DOCX, XLSX or CSV.",
         "file_id!,mime_type!,save_path"),
    ],
    "google_sheets": [
        ("read_range", "Read the cell values of a range in a Google Sheets spreadsheet.", "spreadsheet_id!,range!"),
        ("update_range", "Write values into a range of cells in a Google Sheets spreadsheet.",
         "spreadsheet_id!,range!,values!:array"),
        ("append_rows", "Append rows at the end of a Google Sheets table.", "spreadsheet_id!,range!,values!:array"),
        ("create_spreadsheet", "Create a new Google Sheets spreadsheet.", "title!"),
    ],
    "dropbox": [
        ("list_folder", "List the files and folders in a Dropbox folder.", "path!"),
        ("upload", "Upload a file to Dropbox.", "local_path!,dropbox_path!"),
        ("download", "Download a file from Dropbox to the local disk.", "dropbox_path!,local_path!"),
        ("create_shared_link", "Create a shareable link to a Dropbox file or folder.", "path!"),
        ("search", "Search Dropbox for files and folders by name or content.", "query!"),
    ],
    "notion": [
        ("search", "Search Notion pages and databases by title.", "query!,filter"),
        ("get_page", "Retrieve a Notion page and its properties.", "page_id!"),
        ("get_block_children", "Read the content blocks of a Notion page.", "block_id!"),
        ("create_page", "Create a new Notion page under a page or in a database.",
         "parent_id!,title!,content,properties:object"),
        ("update_page", "Update the properties of a Notion page or archive it.", "page_id!,properties:object,archived:boolean"),
        ("append_blocks", "Append paragraphs, to-dos or headings to the end of a Notion page.",
         "block_id!,children!:array"),
        ("query_database", "Query a Notion database with filters and sorts.", "database_id!,filter:object,sorts:array"),
        ("create_database", "Create a Notion database with a property schema.", "parent_id!,title!,properties!:object"),
        ("add_comment", "Add a comment to a Notion page or discussion.", "page_id!,text!"),
        ("list_users", "List the people in the Notion workspace.", ""),
    ],
    "confluence": [
        ("search", "Search Confluence pages with CQL or plain words.", "query!,space"),
        ("get_page", "Read a Confluence page's content.", "page_id!"),
        ("create_page", "Create a Confluence page in a space.", "space!,title!,body!,parent_id"),
        ("update_page", "Edit an existing Confluence page's body or title.", "page_id!,body!,title"),
    ],
    "linear": [
        ("create_issue", "Create a Linear issue in a team with a title, description, priority and assignee.",
         "team_id!,title!,description,priority:integer,assignee_id"),
        ("update_issue", "Update a Linear issue's state, priority, assignee, estimate or title.",
         "issue_id!,state,priority:integer,assignee_id,title"),
        ("search_issues", "Search Linear issues by text, state, label or assignee.", "query!,state,assignee"),
        ("get_issue", "Get one Linear issue with its comments.", "issue_id!"),
        ("add_comment", "Comment on a Linear issue.", "issue_id!,body!"),
        ("list_my_issues", "List the Linear issues assigned to you.", "state"),
        ("list_teams", "List the teams in the Linear workspace.", ""),
        ("list_projects", "List Linear projects and their progress.", "team_id"),
        ("list_cycles", "List a Linear team's cycles (sprints) with their dates.", "team_id!"),
    ],
    "jira": [
        ("create_issue", "Create a Jira issue (bug, task, story) in a project.",
         "project_key!,summary!,issue_type!,description,priority"),
        ("get_issue", "Get a Jira issue by key, with status, fields and comments.", "issue_key!"),
        ("search_issues", "Search Jira issues with JQL.", "jql!,max_results:integer"),
        ("update_issue", "Edit the fields of a Jira issue.", "issue_key!,fields!:object"),
        ("transition_issue", "Move a Jira issue to another status in its workflow (e.g. In Progress, Done).",
         "issue_key!,transition!"),
        ("add_comment", "Add a comment to a Jira issue.", "issue_key!,body!"),
        ("assign_issue", "Assign a Jira issue to a user.", "issue_key!,assignee!"),
        ("log_work", "Log time spent on a Jira issue.", "issue_key!,time_spent!,comment"),
        ("list_sprints", "List the sprints of a Jira board.", "board_id!,state"),
        ("get_sprint_issues", "List the issues in a Jira sprint.", "sprint_id!"),
        ("link_issues", "Link two Jira issues (blocks, relates to, duplicates).", "inward_issue!,outward_issue!,link_type!"),
    ],
    "trello": [
        ("get_lists", "Get the lists (columns) of a Trello board.", "board_id!"),
        ("get_cards", "Get the cards in a Trello list.", "list_id!"),
        ("add_card", "Add a card to a Trello list.", "list_id!,name!,description,due"),
        ("move_card", "Move a Trello card to another list.", "card_id!,list_id!"),
        ("archive_card", "Archive a Trello card.", "card_id!"),
    ],
    "asana": [
        ("create_task", "Create an Asana task in a project, with assignee and due date.",
         "project_id!,name!,notes,assignee,due_on"),
        ("list_tasks", "List tasks of an Asana project.", "project_id!,completed:boolean"),
        ("complete_task", "Mark an Asana task complete.", "task_id!"),
        ("add_comment", "Comment on an Asana task.", "task_id!,text!"),
        ("search_tasks", "Search Asana tasks in a workspace.", "workspace!,text!"),
    ],
    "todoist": [
        ("add_task", "Add a task to Todoist with an optional due date, priority and project.",
         "content!,due_string,priority:integer,project_id"),
        ("get_tasks", "List active Todoist tasks, filterable by project or a filter like 'today'.",
         "filter,project_id"),
        ("close_task", "Mark a Todoist task as completed.", "task_id!"),
        ("update_task", "Change a Todoist task's text, due date or priority.", "task_id!,content,due_string,priority:integer"),
        ("delete_task", "Delete a Todoist task.", "task_id!"),
    ],
    "filesystem": [
        ("read_file", "Read the complete contents of a file on the local disk.", "path!"),
        ("read_multiple_files", "Read several files at once.", "paths!:array"),
        ("write_file", "Create a new file or overwrite an existing one with new content.", "path!,content!"),
        ("edit_file", "Make line-based edits to a text file and return a git-style diff.",
         "path!,edits!:array,dry_run:boolean"),
        ("create_directory", "Create a directory, including parents, on the local disk.", "path!"),
        ("list_directory", "List the files and directories at a path.", "path!"),
        ("directory_tree", "Get a recursive tree of files and directories as JSON.", "path!"),
        ("move_file", "Move or rename a file or directory.", "source!,destination!"),
        ("search_files", "Recursively find files and directories whose names match a pattern.",
         "path!,pattern!,exclude_patterns:array"),
        ("get_file_info", "Get metadata of a file: size, created and modified times, permissions.", "path!"),
        ("list_allowed_directories", "List the directories this server is allowed to access.", ""),
    ],
    "puppeteer": [
        ("navigate", "Open a URL in the headless browser.", "url!"),
        ("screenshot", "Take a screenshot of the current browser page or an element.", "name!,selector,width:integer"),
        ("click", "Click an element on the browser page.", "selector!"),
        ("fill", "Type a value into an input field on the browser page.", "selector!,value!"),
        ("select", "Pick an option of a select element on the browser page.", "selector!,value!"),
        ("hover", "Hover the mouse over an element on the browser page.", "selector!"),
        ("evaluate", "Run JavaScript in the browser page and return the result.", "script!"),
    ],
    "brave_search": [
        ("web_search", "Search the web with Brave Search and return titles, links and snippets.",
         "query!,count:integer"),
        ("local_search", "Find local businesses and places (restaurants, shops) with Brave Search.", "query!"),
    ],
    "stripe": [
        ("create_customer", "Create a Stripe customer with a name and email.", "name!,email"),
        ("list_customers", "List Stripe customers, optionally by email.", "email,limit:integer"),
        ("create_invoice", "Create a Stripe invoice for a customer.", "customer!,days_until_due:integer"),
        ("list_invoices", "List Stripe invoices, filterable by customer or status.", "customer,status"),
        ("create_payment_link", "Create a Stripe payment link for a price so someone can pay online.",
         "price!,quantity:integer"),
        ("create_refund", "Refund a Stripe payment, fully or partly.", "payment_intent!,amount:integer"),
        ("list_subscriptions", "List Stripe subscriptions by customer or status.", "customer,status"),
        ("cancel_subscription", "Cancel a Stripe subscription now or at the period end.", "subscription!"),
        ("retrieve_balance", "Get the available and pending balance of the Stripe account.", ""),
        ("list_payment_intents", "List recent Stripe payments (payment intents).", "customer,limit:integer"),
        ("create_product", "Create a product in the Stripe catalogue.", "name!,description"),
        ("create_price", "Create a price for a Stripe product, one-off or recurring.",
         "product!,unit_amount!:integer,currency!,recurring"),
    ],
    "paypal": [
        ("create_invoice", "Create and send a PayPal invoice.", "recipient_email!,items!:array,currency"),
        ("list_transactions", "List PayPal account transactions in a date range.", "start_date!,end_date!"),
        ("create_payout", "Send money to someone's PayPal account.", "receiver!,amount!,currency!"),
    ],
    "shopify": [
        ("list_orders", "List orders of the Shopify store, filterable by status or date.", "status,created_at_min"),
        ("get_order", "Get one Shopify order with its line items and customer.", "order_id!"),
        ("list_products", "List products in the Shopify store.", "title,limit:integer"),
        ("update_inventory", "Set the stock level of a Shopify product variant at a location.",
         "inventory_item_id!,location_id!,available!:integer"),
        ("create_discount_code", "Create a Shopify discount code for a price rule.", "price_rule_id!,code!"),
        ("fulfill_order", "Mark a Shopify order as fulfilled and add tracking.", "order_id!,tracking_number"),
    ],
    "weather": [
        ("get_alerts", "Get active weather alerts for a US state.", "state!"),
        ("get_forecast", "Get the weather forecast for a location given by latitude and longitude.",
         "latitude!:number,longitude!:number"),
    ],
    "google_maps": [
        ("geocode", "Convert an address into latitude and longitude coordinates.", "address!"),
        ("reverse_geocode", "Convert coordinates into a street address.", "latitude!:number,longitude!:number"),
        ("search_places", "Search for places (restaurants, shops, landmarks) near a location.",
         "query!,location,radius:integer"),
        ("place_details", "Get the details of a place: opening hours, phone number, rating, reviews.", "place_id!"),
        ("distance_matrix", "Travel distance and time between origins and destinations.",
         "origins!:array,destinations!:array,mode"),
        ("directions", "Get step-by-step directions between two places by car, foot, bike or transit.",
         "origin!,destination!,mode"),
    ],
    "spotify": [
        ("search", "Search Spotify for tracks, albums, artists or playlists.", "query!,type"),
        ("play", "Start or resume Spotify playback, optionally of a given track or playlist.", "uri"),
        ("pause", "Pause Spotify playback.", ""),
        ("skip_to_next", "Skip to the next track in Spotify.", ""),
        ("add_to_queue", "Add a track to the Spotify playback queue.", "uri!"),
        ("create_playlist", "Create a Spotify playlist.", "name!,description,public:boolean"),
        ("add_tracks_to_playlist", "Add tracks to a Spotify playlist.", "playlist_id!,uris!:array"),
        ("get_currently_playing", "Get the track currently playing on Spotify.", ""),
    ],
    "postgres": [
        ("query", "Run a read-only SQL query against the PostgreSQL database.", "sql!"),
        ("list_schemas", "List the schemas in the PostgreSQL database.", ""),
        ("describe_table", "Show the columns, types and indexes of a PostgreSQL table.", "table!,schema"),
    ],
    "sentry": [
        ("list_issues", "List unresolved Sentry issues (grouped errors) of a project.", "project!,query"),
        ("get_issue_details", "Get a Sentry issue's stack trace, tags and latest event.", "issue_id!"),
        ("resolve_issue", "Mark a Sentry issue as resolved.", "issue_id!"),
        ("list_releases", "List the releases of a Sentry project.", "project!"),
    ],
    "pagerduty": [
        ("list_incidents", "List PagerDuty incidents by status and urgency.", "statuses:array,urgency"),
        ("acknowledge_incident", "Acknowledge a PagerDuty incident so escalation stops.", "incident_id!"),
        ("resolve_incident", "Resolve a PagerDuty incident.", "incident_id!"),
        ("list_oncalls", "See who is on call now in PagerDuty, per escalation policy.", "schedule_id"),
        ("create_incident", "Trigger a new PagerDuty incident on a service.", "service_id!,title!,urgency"),
    ],
    "hubspot": [
        ("create_contact", "Create a contact in the HubSpot CRM.", "email!,firstname,lastname,company"),
        ("search_contacts", "Search HubSpot contacts by name, email or company.", "query!"),
        ("create_deal", "Create a HubSpot deal with an amount and pipeline stage.", "dealname!,amount:number,dealstage"),
        ("update_deal", "Move a HubSpot deal to another stage or change its amount.", "deal_id!,dealstage,amount:number"),
        ("log_note", "Log a note on a HubSpot contact, company or deal.", "object_id!,body!"),
    ],
    "zoom": [
        ("create_meeting", "Schedule a Zoom meeting and get its join link.", "topic!,start_time!,duration:integer"),
        ("list_meetings", "List your upcoming Zoom meetings.", "type"),
        ("get_recording", "Get the cloud recording and transcript of a past Zoom meeting.", "meeting_id!"),
        ("delete_meeting", "Cancel a scheduled Zoom meeting.", "meeting_id!"),
    ],
    "twilio": [
        ("send_sms", "Send a text message (SMS) to a phone number with Twilio.", "to!,body!,from"),
        ("list_messages", "List SMS messages sent and received with Twilio.", "to,from,limit:integer"),
        ("make_call", "Place a phone call with Twilio that plays a message.", "to!,twiml!"),
    ],
    "airtable": [
        ("list_records", "List records of an Airtable table, with an optional formula filter.",
         "base_id!,table!,filter_by_formula"),
        ("create_record", "Add a record (row) to an Airtable table.", "base_id!,table!,fields!:object"),
        ("update_record", "Update fields of an Airtable record.", "base_id!,table!,record_id!,fields!:object"),
        ("list_bases", "List the Airtable bases you can access.", ""),
    ],
    "memory": [
        ("create_entities", "Add entities (people, projects, things) to the knowledge graph memory.",
         "entities!:array"),
        ("create_relations", "Record relations between entities in the knowledge graph memory.", "relations!:array"),
        ("add_observations", "Add facts (observations) about existing entities in memory.", "observations!:array"),
        ("search_nodes", "Search the knowledge graph memory for entities and facts.", "query!"),
        ("read_graph", "Read the whole knowledge graph memory.", ""),
        ("delete_entities", "Forget entities and their relations from memory.", "entityNames!:array"),
    ],
    "youtube": [
        ("search_videos", "Search YouTube videos by keywords.", "query!,max_results:integer"),
        ("get_transcript", "Get the transcript (captions) of a YouTube video.", "video_id!,language"),
        ("get_video_details", "Get a YouTube video's title, channel, views, likes and duration.", "video_id!"),
    ],
    "docker": [
        ("list_containers", "List Docker containers, running or all.", "all:boolean"),
        ("run_container", "Start a new Docker container from an image.", "image!,name,ports:array,env:array"),
        ("stop_container", "Stop a running Docker container.", "container!"),
        ("container_logs", "Fetch the logs of a Docker container.", "container!,tail:integer"),
        ("list_images", "List local Docker images.", ""),
    ],
    "kubernetes": [
        ("get_pods", "List Kubernetes pods in a namespace with their status.", "namespace"),
        ("pod_logs", "Get the logs of a Kubernetes pod.", "name!,namespace,container"),
        ("scale_deployment", "Change the number of replicas of a Kubernetes deployment.", "name!,replicas!:integer"),
        ("rollout_restart", "Restart a Kubernetes deployment with a rolling update.", "name!,namespace"),
    ],
}


def params(spec):
    out = []
    for raw in filter(None, (p.strip() for p in spec.split(","))):
        name, _, typ = raw.partition(":")
        required = name.endswith("!")
        out.append({"name": name.rstrip("!"), "type": typ or "string", "description": "", "required": required})
    return out


def real_servers():
    """Exact tool lists of the MCP servers that run here (captured by list_real_servers.py)."""
    with open(os.path.join(HERE, "real_servers.json")) as f:
        servers = json.load(f)
    for module, tools in servers.items():
        for t in tools:
            props = t.get("inputSchema", {}).get("properties", {}) or {}
            req = set(t.get("inputSchema", {}).get("required", []) or [])
            ps = [{"name": k, "type": (v.get("type") if isinstance(v.get("type"), str) else "string"),
                   "description": v.get("description", "") or v.get("title", ""), "required": k in req}
                  for k, v in props.items()]
            yield {"name": f"{module}__{t['name']}", "description": t.get("description", ""), "params": ps}


def main():
    out = sys.stdout
    for app, tools in APPS.items():
        for name, desc, spec in tools:
            out.write(json.dumps({"name": f"{app}__{name}", "description": desc, "params": params(spec)}) + "\n")
    for tool in real_servers():
        out.write(json.dumps(tool) + "\n")


if __name__ == "__main__":
    main()
