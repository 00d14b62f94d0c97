#!/usr/bin/env python3
"""Generates bench/toolpicker/catalog.jsonl: 10,000 realistic tool definitions across ~300 apps.

Deterministic (fixed seed). Each line: {"name": "app__tool", "description": "...", "params": [{"name", "type",
"description", "required"}]}. Apps in one category share a vocabulary (slack and discord both send messages), which
is what makes picking hard: the query has to be matched on the app as well as the action.
Run: python3 bench/toolpicker/generate_catalog.py > bench/toolpicker/catalog.jsonl
"""
import json
import random
import sys

rng = random.Random(20261122)

# category -> apps, resources {name: (plural, gloss, [(field, type, description)])}, special tools [(name, desc, params)]
P = lambda n, t="string", d="", r=False: (n, t, d, r)  # noqa: E731

CATEGORIES = {
    "chat": {
        "apps": ["slack", "discord", "microsoft_teams", "mattermost", "rocketchat", "telegram", "whatsapp_business",
                 "zulip", "google_chat", "webex", "signal", "line", "viber", "wechat_work"],
        "resources": {
            "message": ("messages", "a chat message posted in a channel or conversation",
                        [P("channel", d="Channel or conversation id"), P("text", d="Message text (markdown)")]),
            "channel": ("channels", "a channel where members post messages",
                        [P("name", d="Channel name"), P("is_private", "boolean", "Create a private channel")]),
            "user": ("users", "a member of the workspace", [P("email", d="Email address of the member")]),
            "reaction": ("reactions", "an emoji reaction on a message",
                         [P("emoji", d="Emoji name such as thumbsup"), P("message_id", d="Message to react to")]),
            "file": ("files", "a file shared in the workspace", [P("filename", d="File name")]),
            "reminder": ("reminders", "a reminder delivered to a user at a time",
                         [P("text", d="What to remind about"), P("time", d="When, e.g. 'in 15 minutes'")]),
            "user_group": ("user_groups", "a named group of members that can be mentioned together",
                           [P("handle", d="Group handle")]),
            "bookmark": ("bookmarks", "a link pinned to a channel's header", [P("link", d="URL to bookmark")]),
        },
        "special": [
            ("send_message", "Post a message to a {App} channel or conversation.",
             [P("channel", d="Channel name or id", r=True), P("text", d="Message text", r=True),
              P("thread_id", d="Reply inside this thread")]),
            ("send_direct_message", "Send a private direct message to one {App} user.",
             [P("user", d="User id, name or email", r=True), P("text", d="Message text", r=True)]),
            ("pin_message", "Pin a message to the top of a {App} channel.", [P("message_id", r=True)]),
            ("set_status", "Set your {App} status text, emoji and expiry.",
             [P("status_text", r=True), P("emoji"), P("expires_in_minutes", "integer")]),
            ("archive_channel", "Archive a {App} channel so no new messages can be posted.", [P("channel", r=True)]),
            ("invite_to_channel", "Invite users to join a {App} channel.",
             [P("channel", r=True), P("users", "array", "User ids to invite", True)]),
            ("schedule_message", "Schedule a {App} message to be posted later at a given time.",
             [P("channel", r=True), P("text", r=True), P("post_at", d="ISO time to post", r=True)]),
            ("get_channel_history", "Fetch the recent message history of a {App} channel.",
             [P("channel", r=True), P("limit", "integer")]),
            ("mark_channel_read", "Mark all messages in a {App} channel as read.", [P("channel", r=True)]),
            ("get_unread_counts", "Count unread messages and mentions per {App} channel.", []),
        ],
    },
    "email": {
        "apps": ["gmail", "outlook_mail", "fastmail", "protonmail", "yahoo_mail", "zoho_mail", "icloud_mail", "hey_mail"],
        "resources": {
            "email": ("emails", "an email message in the mailbox",
                      [P("to", d="Recipient addresses"), P("subject", d="Subject line"), P("body", d="Body text")]),
            "draft": ("drafts", "an unsent email draft", [P("subject"), P("body")]),
            "label": ("labels", "a label used to tag and organise emails", [P("name", d="Label name")]),
            "folder": ("folders", "a mailbox folder", [P("name", d="Folder name")]),
            "contact": ("contacts", "an address-book contact", [P("email"), P("full_name")]),
            "filter": ("filters", "a rule that sorts incoming mail automatically",
                       [P("criteria", d="Match criteria, e.g. from:boss@x.com"), P("action", d="What to do")]),
            "attachment": ("attachments", "a file attached to an email", [P("email_id")]),
        },
        "special": [
            ("send_email", "Send an email from your {App} account.",
             [P("to", "array", "Recipient addresses", True), P("subject", r=True), P("body", r=True), P("cc", "array"),
              P("attachments", "array", "File paths to attach")]),
            ("reply_to_email", "Reply to an email thread in {App}.", [P("email_id", r=True), P("body", r=True),
                                                                     P("reply_all", "boolean")]),
            ("forward_email", "Forward an email to other recipients from {App}.",
             [P("email_id", r=True), P("to", "array", r=True), P("note")]),
            ("search_emails", "Search the {App} mailbox by sender, subject, words or date.",
             [P("query", d="Search expression, e.g. from:alice has:attachment", r=True), P("max_results", "integer")]),
            ("mark_as_read", "Mark {App} emails as read.", [P("email_ids", "array", r=True)]),
            ("archive_email", "Archive an email out of the {App} inbox.", [P("email_id", r=True)]),
            ("move_email_to_folder", "Move an email into a {App} folder.", [P("email_id", r=True), P("folder", r=True)]),
            ("get_unread_emails", "List unread emails in the {App} inbox, newest first.", [P("max_results", "integer")]),
            ("set_vacation_responder", "Turn the {App} out-of-office auto-reply on or off.",
             [P("enabled", "boolean", r=True), P("message"), P("until", d="End date")]),
        ],
    },
    "transactional_email": {
        "apps": ["sendgrid", "mailgun", "postmark", "amazon_ses", "sparkpost", "mailjet"],
        "resources": {
            "template": ("templates", "a reusable transactional email template", [P("name"), P("html")]),
            "domain": ("domains", "a verified sending domain", [P("domain")]),
            "suppression": ("suppressions", "an address on the bounce or unsubscribe suppression list", [P("email")]),
            "webhook": ("webhooks", "an event webhook for deliveries, opens and clicks", [P("url")]),
        },
        "special": [
            ("send_transactional_email", "Send a transactional email through {App} using a template.",
             [P("to", r=True), P("template_id", r=True), P("variables", "object", "Template variables")]),
            ("get_delivery_stats", "Get {App} delivery, bounce, open and click statistics for a period.",
             [P("start_date", r=True), P("end_date")]),
            ("verify_domain", "Check the DNS records of a {App} sending domain.", [P("domain", r=True)]),
        ],
    },
    "calendar": {
        "apps": ["google_calendar", "outlook_calendar", "calendly", "zoho_calendar", "cal_com", "acuity_scheduling",
                 "apple_calendar", "doodle", "savvycal"],
        "resources": {
            "event": ("events", "a calendar event or meeting",
                      [P("title", d="Event title"), P("start", d="Start time (ISO 8601)"), P("end", d="End time"),
                       P("attendees", "array", "Guest emails"), P("location")]),
            "calendar": ("calendars", "a calendar that holds events", [P("name"), P("timezone")]),
            "attendee": ("attendees", "a guest invited to an event", [P("event_id"), P("email")]),
            "booking": ("bookings", "an appointment booked through a scheduling link", [P("invitee_email")]),
            "availability": ("availability_rules", "working hours and availability rules", [P("weekday")]),
        },
        "special": [
            ("find_free_slots", "Find free time slots when all attendees are available in {App}.",
             [P("attendees", "array", r=True), P("duration_minutes", "integer", r=True), P("start"), P("end")]),
            ("respond_to_invitation", "Accept, decline or tentatively accept a {App} meeting invitation.",
             [P("event_id", r=True), P("response", d="accepted, declined or tentative", r=True)]),
            ("reschedule_event", "Move a {App} event to a new start and end time and notify guests.",
             [P("event_id", r=True), P("new_start", r=True), P("new_end")]),
            ("get_upcoming_events", "List the next events on your {App} calendar (today, this week).",
             [P("days", "integer", "How many days ahead"), P("calendar_id")]),
            ("create_recurring_event", "Create a repeating {App} event (daily, weekly, monthly).",
             [P("title", r=True), P("start", r=True), P("recurrence", d="RRULE or 'weekly on Monday'", r=True)]),
            ("create_scheduling_link", "Create a {App} booking link others can use to pick a time with you.",
             [P("duration_minutes", "integer", r=True), P("title")]),
        ],
    },
    "code_hosting": {
        "apps": ["github", "gitlab", "bitbucket", "azure_devops", "gitea", "codeberg", "sourcehut"],
        "resources": {
            "repository": ("repositories", "a git repository", [P("owner"), P("repo"), P("visibility")]),
            "issue": ("issues", "an issue (bug report or feature request) in a repository",
                      [P("repo"), P("title"), P("body"), P("labels", "array"), P("state", d="open or closed")]),
            "pull_request": ("pull_requests", "a pull/merge request proposing changes",
                             [P("repo"), P("title"), P("head", d="Source branch"), P("base", d="Target branch")]),
            "branch": ("branches", "a branch of a repository", [P("repo"), P("name"), P("from_ref")]),
            "commit": ("commits", "a commit in the history", [P("repo"), P("sha"), P("author")]),
            "release": ("releases", "a tagged release with notes and assets", [P("repo"), P("tag"), P("notes")]),
            "workflow_run": ("workflow_runs", "a CI pipeline / actions run", [P("repo"), P("status")]),
            "label": ("labels", "a label for issues and pull requests", [P("repo"), P("name"), P("color")]),
            "milestone": ("milestones", "a milestone grouping issues with a due date", [P("repo"), P("title")]),
            "webhook": ("webhooks", "a repository webhook", [P("repo"), P("url"), P("events", "array")]),
            "collaborator": ("collaborators", "a user with access to a repository", [P("repo"), P("username")]),
        },
        "special": [
            ("merge_pull_request", "Merge an approved {App} pull request (merge, squash or rebase).",
             [P("repo", r=True), P("number", "integer", r=True), P("method", d="merge, squash or rebase")]),
            ("request_review", "Request reviewers for a {App} pull request.",
             [P("repo", r=True), P("number", "integer", r=True), P("reviewers", "array", r=True)]),
            ("comment_on_issue", "Add a comment to a {App} issue or pull request.",
             [P("repo", r=True), P("number", "integer", r=True), P("body", r=True)]),
            ("close_issue", "Close a {App} issue, optionally as not planned.",
             [P("repo", r=True), P("number", "integer", r=True), P("reason")]),
            ("rerun_workflow", "Re-run a failed {App} CI workflow run.", [P("repo", r=True), P("run_id", r=True)]),
            ("get_file_contents", "Read a file's contents from a {App} repository at a branch or commit.",
             [P("repo", r=True), P("path", r=True), P("ref")]),
            ("search_code", "Search source code across {App} repositories.", [P("query", r=True), P("language")]),
            ("fork_repository", "Fork a {App} repository into your account.", [P("repo", r=True)]),
            ("star_repository", "Star a {App} repository.", [P("repo", r=True)]),
            ("compare_commits", "Compare two branches or commits in {App} and list the changed files.",
             [P("repo", r=True), P("base", r=True), P("head", r=True)]),
            ("get_pull_request_diff", "Get the diff of a {App} pull request.",
             [P("repo", r=True), P("number", "integer", r=True)]),
            ("assign_issue", "Assign a {App} issue to one or more users.",
             [P("repo", r=True), P("number", "integer", r=True), P("assignees", "array", r=True)]),
        ],
    },
    "project_management": {
        "apps": ["jira", "trello", "asana", "linear", "clickup", "monday", "basecamp", "wrike", "shortcut", "youtrack",
                 "todoist", "height", "pivotal_tracker", "teamwork", "things", "ticktick"],
        "resources": {
            "task": ("tasks", "a task or work item", [P("title"), P("description"), P("assignee"), P("due_date"),
                                                    P("priority")]),
            "project": ("projects", "a project grouping tasks", [P("name"), P("owner")]),
            "board": ("boards", "a board with columns of cards", [P("name")]),
            "sprint": ("sprints", "a time-boxed sprint / cycle", [P("name"), P("start_date"), P("end_date")]),
            "comment": ("comments", "a comment on a task", [P("task_id"), P("text")]),
            "label": ("labels", "a tag used to categorise tasks", [P("name"), P("color")]),
            "epic": ("epics", "a large body of work split into tasks", [P("title")]),
            "subtask": ("subtasks", "a checklist item inside a task", [P("parent_task_id"), P("title")]),
        },
        "special": [
            ("assign_task", "Assign a {App} task to a teammate.", [P("task_id", r=True), P("assignee", r=True)]),
            ("change_task_status", "Move a {App} task to another status or column (to do, in progress, done).",
             [P("task_id", r=True), P("status", r=True)]),
            ("complete_task", "Mark a {App} task as done.", [P("task_id", r=True)]),
            ("set_due_date", "Set or change the due date of a {App} task.", [P("task_id", r=True), P("due_date", r=True)]),
            ("log_time", "Log hours worked against a {App} task.",
             [P("task_id", r=True), P("hours", "number", r=True), P("note")]),
            ("start_sprint", "Start a planned {App} sprint.", [P("sprint_id", r=True)]),
            ("get_my_tasks", "List the {App} tasks assigned to me, by due date.", [P("include_completed", "boolean")]),
            ("search_tasks", "Search {App} tasks by text, assignee, status or label.", [P("query", r=True)]),
        ],
    },
    "file_storage": {
        "apps": ["google_drive", "dropbox", "box", "onedrive", "sharepoint", "icloud_drive", "pcloud", "aws_s3",
                 "backblaze_b2", "mega", "nextcloud", "seafile", "wasabi"],
        "resources": {
            "file": ("files", "a stored file", [P("path"), P("name"), P("parent_folder")]),
            "folder": ("folders", "a folder of files", [P("path"), P("name")]),
            "share_link": ("share_links", "a link that shares a file or folder", [P("path"), P("expires_at")]),
            "permission": ("permissions", "who can view or edit a file", [P("file_id"), P("email"), P("role")]),
            "file_version": ("file_versions", "an earlier version of a file", [P("file_id")]),
        },
        "special": [
            ("upload_file", "Upload a local file to {App}.", [P("local_path", r=True), P("destination_path", r=True)]),
            ("download_file", "Download a file from {App} to the workspace.", [P("path", r=True)]),
            ("move_file", "Move or rename a file in {App}.", [P("from_path", r=True), P("to_path", r=True)]),
            ("copy_file", "Copy a file to another {App} folder.", [P("from_path", r=True), P("to_path", r=True)]),
            ("share_file", "Share a {App} file or folder with someone by email.",
             [P("path", r=True), P("email", r=True), P("role", d="viewer or editor")]),
            ("search_files", "Search {App} for files by name or content.", [P("query", r=True), P("file_type")]),
            ("get_storage_quota", "Show how much {App} storage space is used and free.", []),
            ("restore_file_version", "Restore an earlier version of a {App} file.",
             [P("file_id", r=True), P("version_id", r=True)]),
            ("empty_trash", "Permanently delete everything in the {App} trash.", []),
        ],
    },
    "docs_notes": {
        "apps": ["notion", "confluence", "google_docs", "evernote", "coda", "quip", "onenote", "roam_research",
                 "obsidian_publish", "bear", "gitbook", "bookstack", "slab"],
        "resources": {
            "page": ("pages", "a page of notes or documentation", [P("title"), P("content"), P("parent_id")]),
            "database": ("databases", "a table-like database of pages", [P("title"), P("properties", "object")]),
            "comment": ("comments", "a comment on a page", [P("page_id"), P("text")]),
            "space": ("spaces", "a workspace or space grouping pages", [P("name")]),
            "template": ("templates", "a page template", [P("name")]),
        },
        "special": [
            ("append_to_page", "Append text or a checklist to the end of a {App} page.",
             [P("page_id", r=True), P("content", r=True)]),
            ("search_pages", "Full-text search across {App} pages and notes.", [P("query", r=True)]),
            ("export_page", "Export a {App} page as PDF, Markdown or HTML.",
             [P("page_id", r=True), P("format", d="pdf, markdown or html")]),
            ("duplicate_page", "Duplicate a {App} page with its content.", [P("page_id", r=True)]),
            ("query_database", "Filter and sort rows of a {App} database.",
             [P("database_id", r=True), P("filter", "object"), P("sort")]),
        ],
    },
    "crm": {
        "apps": ["salesforce", "hubspot", "pipedrive", "zoho_crm", "dynamics_365", "freshsales", "copper",
                 "close_crm", "insightly", "attio", "keap", "nutshell", "streak"],
        "resources": {
            "contact": ("contacts", "a person you do business with", [P("first_name"), P("last_name"), P("email"),
                                                                       P("phone"), P("company")]),
            "lead": ("leads", "a prospective customer not yet qualified", [P("name"), P("email"), P("source")]),
            "deal": ("deals", "a sales opportunity with a value and stage", [P("name"), P("amount", "number"),
                                                                             P("stage"), P("close_date")]),
            "company": ("companies", "an organisation / account", [P("name"), P("domain"), P("industry")]),
            "note": ("notes", "a note attached to a record", [P("record_id"), P("text")]),
            "activity": ("activities", "a call, meeting or task logged on a record", [P("type"), P("subject")]),
            "pipeline": ("pipelines", "a sales pipeline with stages", [P("name")]),
        },
        "special": [
            ("convert_lead", "Convert a qualified {App} lead into a contact, company and deal.", [P("lead_id", r=True)]),
            ("move_deal_stage", "Move a {App} deal to another pipeline stage (e.g. negotiation, won, lost).",
             [P("deal_id", r=True), P("stage", r=True)]),
            ("log_call", "Log a phone call with a {App} contact, with notes and outcome.",
             [P("contact_id", r=True), P("notes"), P("duration_minutes", "integer")]),
            ("merge_contacts", "Merge duplicate {App} contacts into one record.",
             [P("primary_id", r=True), P("duplicate_id", r=True)]),
            ("get_sales_forecast", "Forecast revenue from open {App} deals by close month.", [P("pipeline_id")]),
        ],
    },
    "support": {
        "apps": ["zendesk", "freshdesk", "intercom", "help_scout", "front", "gorgias", "servicenow", "kustomer", "zoho_desk", "livechat", "crisp"],
        "resources": {
            "ticket": ("tickets", "a customer support ticket", [P("subject"), P("description"), P("priority"),
                                                                 P("requester_email")]),
            "customer": ("customers", "an end customer who contacts support", [P("email"), P("name")]),
            "agent": ("agents", "a support agent", [P("email")]),
            "macro": ("macros", "a canned response with actions", [P("title")]),
            "help_article": ("help_articles", "a knowledge-base article", [P("title"), P("body")]),
            "tag": ("tags", "a tag on tickets", [P("name")]),
        },
        "special": [
            ("reply_to_ticket", "Send a public reply to the customer on a {App} ticket.",
             [P("ticket_id", r=True), P("body", r=True)]),
            ("add_internal_note", "Add a private internal note to a {App} ticket.",
             [P("ticket_id", r=True), P("note", r=True)]),
            ("assign_ticket", "Assign a {App} ticket to an agent or group.",
             [P("ticket_id", r=True), P("assignee", r=True)]),
            ("escalate_ticket", "Escalate a {App} ticket to a higher tier and raise its priority.",
             [P("ticket_id", r=True), P("reason")]),
            ("merge_tickets", "Merge duplicate {App} tickets into one.", [P("target_id", r=True), P("source_ids", "array")]),
            ("apply_macro", "Apply a {App} macro to a ticket.", [P("ticket_id", r=True), P("macro_id", r=True)]),
            ("get_satisfaction_ratings", "Get {App} customer satisfaction (CSAT) ratings for a period.",
             [P("start_date"), P("end_date")]),
        ],
    },
    "payments": {
        "apps": ["stripe", "paypal", "square", "braintree", "adyen", "razorpay", "mollie", "paddle", "chargebee",
                 "recurly", "klarna", "authorize_net", "checkout_com"],
        "resources": {
            "payment": ("payments", "a card or wallet payment / charge", [P("amount", "integer", "Amount in cents"),
                                                                          P("currency"), P("customer_id")]),
            "customer": ("customers", "a paying customer", [P("email"), P("name")]),
            "invoice": ("invoices", "an invoice sent to a customer", [P("customer_id"), P("items", "array")]),
            "subscription": ("subscriptions", "a recurring subscription to a plan", [P("customer_id"), P("price_id")]),
            "refund": ("refunds", "money returned for a payment", [P("payment_id"), P("amount", "integer")]),
            "payout": ("payouts", "a transfer of funds to your bank account", [P("amount", "integer")]),
            "product": ("products", "a product or plan you sell", [P("name"), P("description")]),
            "coupon": ("coupons", "a discount coupon", [P("percent_off", "number"), P("duration")]),
            "dispute": ("disputes", "a chargeback raised by a cardholder", [P("payment_id"), P("evidence")]),
        },
        "special": [
            ("refund_payment", "Refund a {App} payment fully or partly.",
             [P("payment_id", r=True), P("amount", "integer", "Cents; empty = full refund")]),
            ("capture_payment", "Capture a previously authorised {App} payment.", [P("payment_id", r=True)]),
            ("cancel_subscription", "Cancel a {App} subscription now or at period end.",
             [P("subscription_id", r=True), P("at_period_end", "boolean")]),
            ("send_invoice", "Email a finalised {App} invoice to the customer.", [P("invoice_id", r=True)]),
            ("get_balance", "Show the available and pending {App} account balance.", []),
            ("create_payment_link", "Create a {App} payment link for a product and price.",
             [P("price_id", r=True), P("quantity", "integer")]),
        ],
    },
    "ecommerce": {
        "apps": ["shopify", "woocommerce", "bigcommerce", "magento", "etsy", "amazon_seller", "ebay", "wix_stores", "prestashop", "ecwid", "squarespace_commerce"],
        "resources": {
            "product": ("products", "a product listed in the store", [P("title"), P("price", "number"), P("sku")]),
            "order": ("orders", "a customer order", [P("customer_email"), P("status")]),
            "customer": ("customers", "a store customer", [P("email"), P("name")]),
            "collection": ("collections", "a group of products", [P("title")]),
            "discount": ("discounts", "a discount or promo code", [P("code"), P("percent", "number")]),
            "product_review": ("product_reviews", "a customer review of a product", [P("product_id"), P("rating", "integer")]),
            "return": ("returns", "a customer return / RMA", [P("order_id"), P("reason")]),
        },
        "special": [
            ("fulfill_order", "Mark a {App} order as fulfilled and add the tracking number.",
             [P("order_id", r=True), P("tracking_number"), P("carrier")]),
            ("cancel_order", "Cancel a {App} order and restock its items.", [P("order_id", r=True), P("reason")]),
            ("adjust_inventory", "Change the stock quantity of a {App} product at a location.",
             [P("sku", r=True), P("delta", "integer", r=True)]),
            ("get_sales_report", "Summarise {App} sales, orders and revenue for a date range.",
             [P("start_date", r=True), P("end_date")]),
            ("get_low_stock_products", "List {App} products whose inventory is below a threshold.",
             [P("threshold", "integer")]),
        ],
    },
    "accounting": {
        "apps": ["quickbooks", "xero", "freshbooks", "wave", "sage", "zoho_books", "netsuite", "myob", "freeagent", "kashoo"],
        "resources": {
            "invoice": ("invoices", "a sales invoice", [P("customer"), P("line_items", "array"), P("due_date")]),
            "bill": ("bills", "a bill from a supplier", [P("vendor"), P("amount", "number"), P("due_date")]),
            "expense": ("expenses", "a business expense", [P("amount", "number"), P("category"), P("date")]),
            "vendor": ("vendors", "a supplier you pay", [P("name")]),
            "customer": ("customers", "a customer you invoice", [P("name"), P("email")]),
            "journal_entry": ("journal_entries", "a manual ledger journal entry", [P("lines", "array")]),
            "tax_rate": ("tax_rates", "a sales tax / VAT rate", [P("name"), P("rate", "number")]),
        },
        "special": [
            ("get_profit_and_loss", "Get the {App} profit and loss (income statement) report for a period.",
             [P("start_date", r=True), P("end_date", r=True)]),
            ("get_balance_sheet", "Get the {App} balance sheet as of a date.", [P("as_of")]),
            ("reconcile_transaction", "Match a bank transaction to a {App} invoice, bill or expense.",
             [P("transaction_id", r=True), P("match_id", r=True)]),
            ("categorize_expense", "Assign an accounting category to a {App} expense.",
             [P("expense_id", r=True), P("category", r=True)]),
            ("get_overdue_invoices", "List unpaid {App} invoices past their due date.", []),
            ("record_payment", "Record a customer payment against a {App} invoice.",
             [P("invoice_id", r=True), P("amount", "number", r=True)]),
        ],
    },
    "music": {
        "apps": ["spotify", "apple_music", "youtube_music", "deezer", "tidal", "soundcloud", "pandora", "last_fm"],
        "resources": {
            "playlist": ("playlists", "a playlist of tracks", [P("name"), P("description"), P("public", "boolean")]),
        },
        "special": [
            ("play_track", "Play a song, album or playlist on {App}.", [P("query", d="Song, artist or album", r=True),
                                                                     P("device")]),
            ("pause_playback", "Pause {App} playback.", []),
            ("resume_playback", "Resume {App} playback.", []),
            ("skip_to_next", "Skip to the next track on {App}.", []),
            ("skip_to_previous", "Go back to the previous track on {App}.", []),
            ("add_to_queue", "Add a track to the {App} play queue.", [P("track", r=True)]),
            ("set_volume", "Set {App} playback volume (0-100).", [P("percent", "integer", r=True)]),
            ("get_currently_playing", "Show the song currently playing on {App}.", []),
            ("get_recently_played", "List tracks recently played on {App}.", [P("limit", "integer")]),
            ("get_top_artists", "Get your most listened artists on {App}.", [P("time_range")]),
            ("search_music", "Search {App} for songs, artists, albums or podcasts.", [P("query", r=True), P("type")]),
            ("add_tracks_to_playlist", "Add songs to a {App} playlist.",
             [P("playlist_id", r=True), P("tracks", "array", r=True)]),
            ("save_track_to_library", "Like / save a song to your {App} library.", [P("track", r=True)]),
            ("follow_artist", "Follow an artist on {App}.", [P("artist", r=True)]),
            ("get_song_lyrics", "Get the lyrics of a song on {App}.", [P("track", r=True)]),
            ("get_recommendations", "Recommend songs on {App} similar to given tracks or artists.",
             [P("seed_tracks", "array"), P("seed_artists", "array")]),
            ("list_devices", "List {App} playback devices (speakers, phones).", []),
            ("transfer_playback", "Move {App} playback to another device.", [P("device", r=True)]),
            ("set_shuffle", "Turn {App} shuffle on or off.", [P("enabled", "boolean", r=True)]),
            ("set_repeat_mode", "Set {App} repeat mode (off, track, context).", [P("mode", r=True)]),
        ],
    },
    "video": {
        "apps": ["youtube", "vimeo", "twitch", "wistia", "mux", "loom", "dailymotion", "brightcove", "jw_player"],
        "resources": {
            "video": ("videos", "an uploaded video", [P("title"), P("description"), P("privacy")]),
            "playlist": ("playlists", "a video playlist", [P("title")]),
            "comment": ("comments", "a comment on a video", [P("video_id"), P("text")]),
            "caption": ("captions", "a subtitle / caption track", [P("video_id"), P("language")]),
            "clip": ("clips", "a short clip cut from a video or stream", [P("video_id"), P("start_seconds", "integer")]),
        },
        "special": [
            ("upload_video", "Upload a video file to {App} with title and description.",
             [P("file_path", r=True), P("title", r=True), P("description"), P("privacy")]),
            ("get_video_analytics", "Get {App} views, watch time and audience retention for a video.",
             [P("video_id", r=True), P("start_date"), P("end_date")]),
            ("start_live_stream", "Start a {App} live stream / broadcast.", [P("title", r=True)]),
            ("get_channel_statistics", "Get {App} channel subscriber, view and video counts.", [P("channel_id")]),
            ("search_videos", "Search {App} videos by keywords.", [P("query", r=True), P("max_results", "integer")]),
            ("get_transcript", "Get the transcript of a {App} video.", [P("video_id", r=True)]),
        ],
    },
    "social": {
        "apps": ["twitter", "linkedin", "facebook_pages", "instagram", "reddit", "mastodon", "bluesky", "pinterest",
                 "tiktok", "threads", "tumblr", "snapchat"],
        "resources": {
            "post": ("posts", "a post / status update", [P("text"), P("media_ids", "array")]),
            "comment": ("comments", "a comment or reply on a post", [P("post_id"), P("text")]),
            "follower": ("followers", "an account following you", [P("username")]),
            "direct_message": ("direct_messages", "a private message between accounts", [P("recipient"), P("text")]),
        },
        "special": [
            ("publish_post", "Publish a post on {App} now.", [P("text", r=True), P("media_paths", "array")]),
            ("schedule_post", "Schedule a {App} post for a later time.", [P("text", r=True), P("publish_at", r=True)]),
            ("like_post", "Like a {App} post.", [P("post_id", r=True)]),
            ("repost", "Share / repost someone's {App} post.", [P("post_id", r=True)]),
            ("get_post_analytics", "Get impressions, likes and engagement for a {App} post.", [P("post_id", r=True)]),
            ("search_posts", "Search public {App} posts by keyword or hashtag.", [P("query", r=True)]),
            ("follow_user", "Follow a {App} account.", [P("username", r=True)]),
            ("get_profile", "Get a {App} user's public profile.", [P("username", r=True)]),
            ("get_mentions", "List recent {App} posts that mention you.", [P("since")]),
            ("get_trending_topics", "Get trending topics and hashtags on {App}.", [P("location")]),
        ],
    },
    "weather": {
        "apps": ["openweather", "weatherapi", "accuweather", "tomorrow_io", "visual_crossing", "weatherbit",
                 "met_norway", "noaa_weather"],
        "resources": {},
        "special": [
            ("get_current_weather", "Current weather conditions from {App}: temperature, feels-like, humidity, wind, "
             "clouds and description for a city or coordinates.",
             [P("location", d="City name ('Paris,FR') or 'lat,lon'", r=True), P("units", d="metric or imperial")]),
            ("get_forecast", "Daily weather forecast from {App} for the next days: highs, lows, rain chance.",
             [P("location", r=True), P("days", "integer", "1-16"), P("units")]),
            ("get_hourly_forecast", "Hour-by-hour {App} weather forecast for the next 48 hours.",
             [P("location", r=True), P("hours", "integer")]),
            ("get_air_quality", "Air quality index and pollutants (PM2.5, ozone) from {App}.", [P("location", r=True)]),
            ("get_weather_alerts", "Severe weather warnings and alerts from {App} for an area.",
             [P("location", r=True)]),
            ("get_historical_weather", "Past weather observations from {App} on a given date.",
             [P("location", r=True), P("date", r=True)]),
            ("get_uv_index", "UV index and sun-protection advice from {App}.", [P("location", r=True)]),
            ("get_sunrise_sunset", "Sunrise, sunset and day length from {App}.", [P("location", r=True), P("date")]),
            ("get_precipitation_radar", "Rain and snow radar map tiles from {App}.", [P("location", r=True)]),
            ("get_pollen_count", "Pollen levels (tree, grass, weed) from {App}.", [P("location", r=True)]),
            ("get_marine_forecast", "Wave height, swell and tide forecast from {App}.", [P("location", r=True)]),
            ("geocode_location", "Resolve a place name to coordinates with {App}'s geocoder.", [P("query", r=True)]),
        ],
    },
    "maps": {
        "apps": ["google_maps", "mapbox", "here_maps", "tomtom", "openstreetmap"],
        "resources": {},
        "special": [
            ("geocode_address", "Convert an address into latitude/longitude with {App}.", [P("address", r=True)]),
            ("reverse_geocode", "Find the address at given coordinates with {App}.", [P("lat", "number", r=True),
                                                                                       P("lon", "number", r=True)]),
            ("get_directions", "Turn-by-turn directions and travel time between places with {App}.",
             [P("origin", r=True), P("destination", r=True), P("mode", d="driving, walking, cycling, transit")]),
            ("get_distance_matrix", "Travel distances and times between many origins and destinations ({App}).",
             [P("origins", "array", r=True), P("destinations", "array", r=True)]),
            ("search_places", "Search {App} for nearby places: restaurants, shops, petrol stations.",
             [P("query", r=True), P("near"), P("radius_meters", "integer")]),
            ("get_place_details", "Opening hours, rating, phone and reviews of a place from {App}.",
             [P("place_id", r=True)]),
            ("get_traffic", "Live traffic conditions and incidents on a route from {App}.", [P("route", r=True)]),
            ("get_elevation", "Elevation above sea level at coordinates from {App}.", [P("lat", "number", r=True),
                                                                                        P("lon", "number", r=True)]),
            ("get_static_map", "Render a static map image of an area with {App}.", [P("center", r=True),
                                                                                     P("zoom", "integer")]),
        ],
    },
    "travel": {
        "apps": ["skyscanner", "amadeus", "booking_com", "expedia", "airbnb", "kayak", "tripadvisor", "uber", "lyft"],
        "resources": {"booking": ("bookings", "a reservation you made", [P("confirmation_code")])},
        "special": [
            ("search_flights", "Search {App} for flights between airports on dates.",
             [P("origin", r=True), P("destination", r=True), P("depart_date", r=True), P("return_date"),
              P("passengers", "integer")]),
            ("get_flight_status", "Live status of a flight (delays, gate) from {App}.", [P("flight_number", r=True)]),
            ("search_hotels", "Search {App} for hotels or stays in a city for dates.",
             [P("city", r=True), P("check_in", r=True), P("check_out", r=True), P("guests", "integer")]),
            ("book_hotel", "Book a hotel room through {App}.", [P("hotel_id", r=True), P("room_type")]),
            ("book_flight", "Book a flight offer through {App}.", [P("offer_id", r=True)]),
            ("request_ride", "Request a {App} ride / taxi from pickup to drop-off.",
             [P("pickup", r=True), P("dropoff", r=True), P("ride_type")]),
            ("get_ride_estimate", "Estimate {App} fare and pickup time for a trip.",
             [P("pickup", r=True), P("dropoff", r=True)]),
            ("get_attraction_reviews", "Reviews and ratings of attractions and restaurants from {App}.",
             [P("place", r=True)]),
        ],
    },
    "smart_home": {
        "apps": ["philips_hue", "google_nest", "smartthings", "home_assistant", "ecobee", "ring", "tado", "sonos",
                 "lifx", "august", "wyze", "arlo", "nanoleaf", "homey"],
        "resources": {"scene": ("scenes", "a saved scene of device states", [P("name")]),
                      "automation": ("automations", "a rule that triggers actions", [P("trigger"), P("action")])},
        "special": [
            ("turn_on_light", "Turn on a {App} light or room.", [P("light", r=True)]),
            ("turn_off_light", "Turn off a {App} light or room.", [P("light", r=True)]),
            ("set_light_color", "Change the colour of a {App} light.", [P("light", r=True), P("color", r=True)]),
            ("set_brightness", "Dim or brighten a {App} light (0-100%).",
             [P("light", r=True), P("percent", "integer", r=True)]),
            ("set_thermostat", "Set the {App} thermostat target temperature and mode (heat, cool).",
             [P("temperature", "number", r=True), P("mode")]),
            ("get_thermostat_status", "Current indoor temperature, humidity and heating state from {App}.", []),
            ("lock_door", "Lock a {App} smart lock.", [P("lock", r=True)]),
            ("unlock_door", "Unlock a {App} smart lock.", [P("lock", r=True)]),
            ("get_camera_snapshot", "Take a snapshot from a {App} security camera.", [P("camera", r=True)]),
            ("list_devices", "List {App} smart-home devices and their state.", [P("room")]),
            ("activate_scene", "Activate a {App} scene.", [P("scene", r=True)]),
            ("get_sensor_reading", "Read a {App} sensor (motion, temperature, door, battery).", [P("sensor", r=True)]),
            ("get_doorbell_events", "Recent {App} doorbell rings and motion events.", [P("limit", "integer")]),
            ("play_on_speaker", "Play audio on a {App} speaker group.", [P("speaker", r=True), P("uri", r=True)]),
        ],
    },
    "cloud_infra": {
        "apps": ["aws_ec2", "google_compute", "azure_vms", "digitalocean", "linode", "hetzner_cloud", "vultr",
                 "cloudflare", "scaleway", "ovhcloud", "oracle_cloud"],
        "resources": {
            "instance": ("instances", "a virtual machine / server", [P("name"), P("size"), P("region"), P("image")]),
            "volume": ("volumes", "a block storage volume", [P("size_gb", "integer"), P("region")]),
            "snapshot": ("snapshots", "a disk snapshot / backup image", [P("instance_id")]),
            "dns_record": ("dns_records", "a DNS record in a zone", [P("zone"), P("type"), P("name"), P("content")]),
            "firewall_rule": ("firewall_rules", "an inbound/outbound firewall rule", [P("port", "integer"),
                                                                                      P("source")]),
            "ssh_key": ("ssh_keys", "an SSH public key for server access", [P("public_key")]),
            "load_balancer": ("load_balancers", "a load balancer in front of servers", [P("name")]),
        },
        "special": [
            ("start_instance", "Start (power on) a {App} server.", [P("instance_id", r=True)]),
            ("stop_instance", "Stop (shut down) a {App} server.", [P("instance_id", r=True)]),
            ("reboot_instance", "Reboot a {App} server.", [P("instance_id", r=True)]),
            ("resize_instance", "Change the size / plan of a {App} server.", [P("instance_id", r=True),
                                                                             P("size", r=True)]),
            ("get_billing_summary", "Month-to-date {App} cloud costs by service.", [P("month")]),
            ("purge_cache", "Purge {App} CDN cache for URLs or everything.", [P("urls", "array")]),
        ],
    },
    "deploy": {
        "apps": ["vercel", "netlify", "heroku", "render", "fly_io", "railway"],
        "resources": {
            "deployment": ("deployments", "a deployment of an app", [P("project"), P("branch")]),
            "domain": ("domains", "a custom domain attached to an app", [P("name")]),
            "env_var": ("env_vars", "an environment variable of an app", [P("key"), P("value")]),
        },
        "special": [
            ("deploy_project", "Trigger a new {App} deployment of a project from a git branch.",
             [P("project", r=True), P("branch")]),
            ("rollback_deployment", "Roll a {App} project back to a previous deployment.",
             [P("project", r=True), P("deployment_id", r=True)]),
            ("get_build_logs", "Fetch {App} build and runtime logs of a deployment.", [P("deployment_id", r=True)]),
            ("scale_app", "Change the number of {App} instances / dynos.", [P("app", r=True),
                                                                           P("count", "integer", r=True)]),
            ("restart_app", "Restart a {App} app.", [P("app", r=True)]),
        ],
    },
    "monitoring": {
        "apps": ["datadog", "sentry", "pagerduty", "grafana", "new_relic", "opsgenie", "honeycomb", "uptime_robot", "splunk", "better_stack", "statuspage"],
        "resources": {
            "incident": ("incidents", "an operational incident", [P("title"), P("severity")]),
            "monitor": ("monitors", "an alerting monitor / check", [P("query"), P("threshold", "number")]),
            "dashboard": ("dashboards", "a dashboard of charts", [P("title")]),
        },
        "special": [
            ("acknowledge_incident", "Acknowledge a {App} incident so escalation stops.", [P("incident_id", r=True)]),
            ("resolve_incident", "Resolve a {App} incident.", [P("incident_id", r=True), P("resolution")]),
            ("get_on_call", "Who is on call right now in {App}.", [P("schedule")]),
            ("query_metrics", "Query a {App} metric time series (CPU, latency, error rate).",
             [P("query", r=True), P("from"), P("to")]),
            ("mute_monitor", "Silence a {App} monitor for a while.", [P("monitor_id", r=True),
                                                                      P("minutes", "integer")]),
            ("get_error_events", "List recent {App} exceptions / error events with stack traces.",
             [P("project"), P("since")]),
            ("get_uptime", "Uptime percentage and response times of a {App} check.", [P("check_id", r=True)]),
        ],
    },
    "hr": {
        "apps": ["bamboohr", "workday", "greenhouse", "lever", "gusto", "rippling", "personio", "deel", "hibob", "adp", "namely"],
        "resources": {
            "employee": ("employees", "a person employed by the company", [P("name"), P("email"), P("department")]),
            "time_off_request": ("time_off_requests", "a vacation / leave request", [P("employee_id"), P("start_date"),
                                                                                    P("end_date")]),
            "candidate": ("candidates", "a job applicant", [P("name"), P("email")]),
            "job_posting": ("job_postings", "an open job / requisition", [P("title"), P("location")]),
            "interview": ("interviews", "a scheduled interview", [P("candidate_id"), P("time")]),
        },
        "special": [
            ("approve_time_off", "Approve or deny a {App} time-off request.",
             [P("request_id", r=True), P("approve", "boolean", r=True)]),
            ("get_time_off_balance", "Remaining vacation / PTO days of an employee in {App}.",
             [P("employee_id", r=True)]),
            ("move_candidate_stage", "Advance a {App} candidate to the next hiring stage or reject them.",
             [P("candidate_id", r=True), P("stage", r=True)]),
            ("get_org_chart", "The {App} org chart: who reports to whom.", [P("root_employee_id")]),
            ("run_payroll", "Run a {App} payroll for a pay period.", [P("period", r=True)]),
            ("get_whos_out", "Who is out of office today or this week ({App}).", [P("date")]),
        ],
    },
    "email_marketing": {
        "apps": ["mailchimp", "klaviyo", "brevo", "constant_contact", "activecampaign", "convertkit", "drip", "omnisend"],
        "resources": {
            "audience": ("audiences", "a mailing list / audience", [P("name")]),
            "subscriber": ("subscribers", "a person on a mailing list", [P("email"), P("tags", "array")]),
            "campaign": ("campaigns", "an email newsletter campaign", [P("subject"), P("audience_id")]),
            "automation": ("automations", "an automated email sequence", [P("name"), P("trigger")]),
        },
        "special": [
            ("send_campaign", "Send a {App} email campaign now.", [P("campaign_id", r=True)]),
            ("schedule_campaign", "Schedule a {App} campaign for later.", [P("campaign_id", r=True),
                                                                          P("send_at", r=True)]),
            ("get_campaign_report", "Open rate, click rate and unsubscribes of a {App} campaign.",
             [P("campaign_id", r=True)]),
            ("unsubscribe_contact", "Unsubscribe an email address from a {App} list.", [P("email", r=True)]),
            ("tag_subscriber", "Add tags to a {App} subscriber.", [P("email", r=True), P("tags", "array", r=True)]),
        ],
    },
    "analytics": {
        "apps": ["google_analytics", "mixpanel", "amplitude", "posthog", "plausible", "heap"],
        "resources": {"dashboard": ("dashboards", "a saved analytics dashboard", [P("name")]),
                      "cohort": ("cohorts", "a group of users by behaviour", [P("name"), P("definition")])},
        "special": [
            ("run_report", "Run a {App} report: metrics by dimensions over dates (sessions, users, page views).",
             [P("metrics", "array", r=True), P("dimensions", "array"), P("start_date", r=True),
              P("end_date", r=True)]),
            ("get_realtime_users", "How many users are on the site right now ({App}).", []),
            ("track_event", "Send a custom event to {App}.", [P("event", r=True), P("properties", "object")]),
            ("get_funnel", "Conversion funnel between steps in {App}.", [P("steps", "array", r=True)]),
            ("get_retention", "User retention by cohort week in {App}.", [P("start_date")]),
            ("get_top_pages", "Most viewed pages and traffic sources in {App}.", [P("start_date"), P("end_date")]),
        ],
    },
    "forms": {
        "apps": ["typeform", "google_forms", "surveymonkey", "jotform", "tally", "qualtrics"],
        "resources": {"form": ("forms", "a form or survey", [P("title"), P("questions", "array")])},
        "special": [
            ("get_responses", "Fetch submitted {App} form responses / survey answers.",
             [P("form_id", r=True), P("since")]),
            ("summarize_responses", "Aggregate {App} survey answers per question.", [P("form_id", r=True)]),
            ("add_question", "Add a question to a {App} form.", [P("form_id", r=True), P("question", r=True),
                                                                 P("type")]),
        ],
    },
    "spreadsheets_db": {
        "apps": ["google_sheets", "airtable", "smartsheet", "excel_online", "supabase", "firebase", "mongodb_atlas",
                 "postgres", "mysql", "snowflake", "bigquery"],
        "resources": {"table": ("tables", "a table / sheet of rows", [P("name"), P("columns", "array")]),
                      "row": ("rows", "a row / record", [P("table"), P("values", "object")])},
        "special": [
            ("run_query", "Run a SQL or filter query against {App} and return rows.", [P("query", r=True),
                                                                                      P("limit", "integer")]),
            ("read_range", "Read cells in a range (A1:D20) from {App}.", [P("sheet", r=True), P("range", r=True)]),
            ("update_cells", "Write values into {App} cells.", [P("sheet", r=True), P("range", r=True),
                                                               P("values", "array", r=True)]),
            ("append_row", "Append a row to a {App} table or sheet.", [P("table", r=True),
                                                                      P("values", "array", r=True)]),
            ("describe_table", "Columns and types of a {App} table.", [P("table", r=True)]),
            ("export_table_csv", "Export a {App} table to CSV.", [P("table", r=True)]),
        ],
    },
    "finance": {
        "apps": ["plaid", "coinbase", "binance", "kraken", "alpha_vantage", "yahoo_finance", "wise", "revolut"],
        "resources": {"transaction": ("transactions", "a bank or exchange transaction", [P("account_id")])},
        "special": [
            ("get_stock_quote", "Latest stock price and day change for a ticker symbol from {App}.",
             [P("symbol", r=True)]),
            ("get_exchange_rate", "Currency exchange rate between two currencies from {App}.",
             [P("from_currency", r=True), P("to_currency", r=True)]),
            ("get_crypto_price", "Current price of a cryptocurrency (bitcoin, ether) from {App}.",
             [P("coin", r=True), P("currency")]),
            ("get_account_balance", "Balance of your {App} accounts or wallets.", [P("account_id")]),
            ("place_order", "Place a buy or sell order on {App}.", [P("symbol", r=True), P("side", r=True),
                                                                     P("quantity", "number", r=True)]),
            ("get_portfolio", "Holdings and their value in your {App} portfolio.", []),
            ("get_historical_prices", "Daily historical prices of a symbol from {App}.", [P("symbol", r=True),
                                                                                           P("start_date")]),
            ("send_money", "Transfer money to a recipient with {App}.", [P("recipient", r=True),
                                                                          P("amount", "number", r=True)]),
        ],
    },
    "search_knowledge": {
        "apps": ["newsapi", "wikipedia", "google_search", "bing_search", "brave_search", "arxiv", "hacker_news",
                 "wolfram_alpha", "semantic_scholar", "stack_overflow"],
        "resources": {},
        "special": [
            ("search", "Search {App} and return the top results with titles, links and snippets.",
             [P("query", r=True), P("count", "integer")]),
            ("get_article", "Fetch the full text / summary of an article or page from {App}.", [P("id_or_url", r=True)]),
            ("get_top_headlines", "Top news headlines from {App} by country or topic.", [P("country"), P("topic")]),
            ("answer_question", "Ask {App} a factual or math question and get a short answer.", [P("question", r=True)]),
            ("get_trending", "What is trending / front page on {App}.", []),
        ],
    },
    "ai_media": {
        "apps": ["deepl", "google_translate", "elevenlabs", "assemblyai", "stability_ai", "remove_bg", "ocr_space",
                 "cloudinary", "imgix", "mux_video"],
        "resources": {},
        "special": [
            ("translate_text", "Translate text to another language with {App}.", [P("text", r=True),
                                                                                  P("target_language", r=True)]),
            ("detect_language", "Detect the language of a text with {App}.", [P("text", r=True)]),
            ("text_to_speech", "Turn text into spoken audio (MP3) with {App}.", [P("text", r=True), P("voice")]),
            ("transcribe_audio", "Transcribe speech in an audio file to text with {App}.", [P("audio_path", r=True)]),
            ("generate_image", "Generate an image from a text prompt with {App}.", [P("prompt", r=True),
                                                                                   P("size")]),
            ("remove_background", "Remove the background from a photo with {App}.", [P("image_path", r=True)]),
            ("extract_text_from_image", "OCR: read the text in an image or scanned PDF with {App}.",
             [P("image_path", r=True)]),
            ("resize_image", "Resize or crop an image with {App}.", [P("image_path", r=True),
                                                                    P("width", "integer"), P("height", "integer")]),
            ("transcode_video", "Convert a video to another format or resolution with {App}.",
             [P("video_path", r=True), P("format", r=True)]),
        ],
    },
    "fitness": {
        "apps": ["strava", "fitbit", "garmin_connect", "oura", "myfitnesspal", "withings", "whoop"],
        "resources": {"activity": ("activities", "a workout / run / ride", [P("type"), P("duration_minutes", "integer"),
                                                                          P("distance_km", "number")])},
        "special": [
            ("get_sleep_data", "Sleep duration, stages and score from {App}.", [P("date")]),
            ("get_heart_rate", "Heart rate and resting heart rate from {App}.", [P("date")]),
            ("get_daily_steps", "Step count and active minutes from {App}.", [P("date")]),
            ("log_meal", "Log a meal and its calories in {App}.", [P("food", r=True), P("calories", "integer")]),
            ("get_body_weight", "Weight and body composition history from {App}.", [P("start_date")]),
        ],
    },
    "food_delivery": {
        "apps": ["doordash", "ubereats", "instacart", "grubhub", "deliveroo", "just_eat"],
        "resources": {"order": ("orders", "a food or grocery order", [P("restaurant"), P("items", "array")])},
        "special": [
            ("search_restaurants", "Find restaurants on {App} that deliver to you, by cuisine.",
             [P("cuisine"), P("address")]),
            ("get_menu", "Menu and prices of a restaurant on {App}.", [P("restaurant_id", r=True)]),
            ("add_to_cart", "Add a dish or grocery item to your {App} cart.", [P("item_id", r=True),
                                                                              P("quantity", "integer")]),
            ("track_order", "Where is my {App} order: courier location and ETA.", [P("order_id", r=True)]),
            ("reorder", "Repeat a previous {App} order.", [P("order_id", r=True)]),
        ],
    },
}

CRUD = {
    "list": (["List", "Get all", "Retrieve the", "Return"], "{verb} {plural} in {App}, {gloss_plural}. Paginated.",
             lambda fields: [P("limit", "integer", "Maximum results"), P("cursor", d="Page cursor")]
             + [(f[0], f[1], "Filter by " + f[0].replace("_", " "), False) for f in fields[:2]]),
    "get": (["Get", "Fetch", "Retrieve", "Show"], "{verb} one {App} {noun} by id: {gloss}.",
            lambda fields: []),
    "create": (["Create", "Add", "Make", "Create a new"], "{verb} {article} {App} {noun} ({gloss}).",
               lambda fields: [(f[0], f[1], f[2], i == 0) for i, f in enumerate(fields)]),
    "update": (["Update", "Edit", "Modify", "Change"], "{verb} fields of an existing {App} {noun}.",
               lambda fields: [(f[0], f[1], f[2], False) for f in fields]),
    "delete": (["Delete", "Remove", "Permanently delete", "Remove a"], "{verb} {article} {App} {noun}.",
               lambda fields: []),
}

BUILTIN = [
    {"name": "clock__now", "description": "Current date and time in a time zone.",
     "params": [{"name": "timezone", "type": "string", "description": "IANA time zone name or city", "required": False}]},
    {"name": "clock__convert_time", "description": "Convert a date/time from one time zone to another.",
     "params": [{"name": "time", "type": "string", "description": "ISO 8601 date/time or 14:30", "required": True},
                {"name": "from_timezone", "type": "string", "description": "Zone the time is in", "required": True},
                {"name": "to_timezone", "type": "string", "description": "Zone to convert to", "required": True}]},
    {"name": "clock__add_duration", "description": "Add or subtract a duration to a date/time; date arithmetic.",
     "params": [{"name": "start", "type": "string", "description": "ISO date", "required": True},
                {"name": "days", "type": "integer", "description": "Days to add", "required": False},
                {"name": "months", "type": "integer", "description": "Calendar months to add", "required": False}]},
    {"name": "clock__time_between", "description": "How long between two dates/times: days, hours, business days.",
     "params": [{"name": "start", "type": "string", "description": "ISO date", "required": True},
                {"name": "end", "type": "string", "description": "ISO date", "required": True}]},
    {"name": "clock__list_timezones", "description": "Find IANA time zone names containing a word.",
     "params": [{"name": "query", "type": "string", "description": "City or region", "required": False}]},
    {"name": "github_issues__list_issues", "description": "List a GitHub repository's issues across all pages.",
     "params": [{"name": "repo", "type": "string", "description": "owner/name", "required": True},
                {"name": "state", "type": "string", "description": "open, closed or all", "required": False}]},
]


def display(app: str) -> str:
    special = {"github": "GitHub", "gitlab": "GitLab", "youtube": "YouTube", "linkedin": "LinkedIn",
               "hubspot": "HubSpot", "aws_ec2": "AWS EC2", "aws_s3": "AWS S3", "openweather": "OpenWeather",
               "tiktok": "TikTok", "pagerduty": "PagerDuty", "quickbooks": "QuickBooks", "bamboohr": "BambooHR",
               "mongodb_atlas": "MongoDB Atlas", "bigquery": "BigQuery", "newsapi": "NewsAPI", "deepl": "DeepL",
               "elevenlabs": "ElevenLabs", "assemblyai": "AssemblyAI", "onedrive": "OneDrive", "onenote": "OneNote",
               "sendgrid": "SendGrid", "woocommerce": "WooCommerce", "bigcommerce": "BigCommerce",
               "smartthings": "SmartThings", "myfitnesspal": "MyFitnessPal", "surveymonkey": "SurveyMonkey",
               "jotform": "JotForm", "posthog": "PostHog", "activecampaign": "ActiveCampaign",
               "convertkit": "ConvertKit", "doordash": "DoorDash", "ubereats": "Uber Eats"}
    return special.get(app, " ".join(w.capitalize() for w in app.split("_")))


def plural_of(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2] not in "aeiou" else noun + "s"


def tools_for(category: str, spec: dict, app: str) -> list[dict]:
    App = display(app)
    out = []
    for name, desc, params in spec["special"]:
        out.append({"name": f"{app}__{name}", "description": desc.format(App=App),
                    "params": [{"name": n, "type": t, "description": d, "required": r} for n, t, d, r in params]})
    for res, (plural, gloss, fields) in spec["resources"].items():
        noun = res.replace("_", " ")
        for action, (verbs, template, make_params) in CRUD.items():
            verb = rng.choice(verbs)
            article = "an" if noun[0] in "aeiou" else "a"
            if verb.endswith(" a") or verb.endswith(" a new"):
                article = ""
            gloss_plural = gloss.replace("a ", "", 1) if gloss.startswith("a ") else gloss
            desc = template.format(verb=verb, plural=plural.replace("_", " "), App=App, noun=noun, gloss=gloss,
                                   gloss_plural=gloss_plural, article=article).replace("  ", " ")
            tool_name = f"{action}_{plural}" if action == "list" else f"{action}_{res}"
            params = make_params(fields)
            if action in ("get", "update", "delete"):
                params = [(f"{res}_id", "string", f"Id of the {noun}", True)] + params
            out.append({"name": f"{app}__{tool_name}", "description": desc,
                        "params": [{"name": n, "type": t, "description": d, "required": r} for n, t, d, r in params]})
    return out


def main() -> None:
    tools = list(BUILTIN)
    for category, spec in CATEGORIES.items():
        for app in spec["apps"]:
            tools += tools_for(category, spec, app)
    seen = set()
    unique = [t for t in tools if not (t["name"] in seen or seen.add(t["name"]))]
    # Pad to exactly 10,000 with per-app "v2"/"beta" variants of existing tools (real catalogues carry both),
    # or trim the tail; either way the result is deterministic.
    base = list(unique)
    i = 0
    while len(unique) < 10000:
        t = base[(i * 7919) % len(base)]
        i += 1
        app, tool_name = t["name"].split("__", 1)
        for suffix, note in (("v2", " (v2 API)"), ("beta", " (beta)"), ("legacy", " (legacy endpoint)")):
            name = f"{app}__{tool_name}_{suffix}"
            if name not in seen:
                seen.add(name)
                unique.append({**t, "name": name, "description": t["description"] + note})
                break
    for t in unique[:10000]:
        sys.stdout.write(json.dumps(t, separators=(",", ":")) + "\n")
    print(f"{len(unique)} generated, apps: {sum(len(s['apps']) for s in CATEGORIES.values())}", file=sys.stderr)


if __name__ == "__main__":
    main()
