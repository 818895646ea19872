"""The kinds of personal data of conversations (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from conversations.models import (
    Addendum,
    Approval,
    Conversation,
    ConversationThread,
    DevelopmentRecord,
    Item,
    Participant,
    Plan,
    Preparation,
    PrivateNote,
    SharedNote,
    Summary,
    Template,
)
from core.personal_data import Kind, Rule, delete_rows, not_personal, register, retention

# A thread's conversations, and what is in them, are about everyone who takes part.
IN_MY_THREADS = "thread__participants__user"
IN_MY_CONVERSATIONS = "conversation__thread__participants__user"

register(
    _("Conversations"),
    Kind(
        "conversation_threads",
        _("Conversation threads you take part in"),
        ConversationThread,
        "participants__user",
        "conversations:index",
    ),
    Kind("conversations", _("Conversations"), Conversation, IN_MY_THREADS, "conversations:index"),
    Kind("conversation_items", _("Talking points and actions"), Item, IN_MY_THREADS),
    Kind("conversation_shared_notes", _("Shared notes"), SharedNote, IN_MY_CONVERSATIONS),
    Kind(
        "conversation_addenda", _("Additions to held conversations"), Addendum, IN_MY_CONVERSATIONS
    ),
    Kind("conversation_summaries", _("Summaries of MUS"), Summary, IN_MY_CONVERSATIONS),
    Kind("summary_approvals", _("Your approvals of summaries"), Approval, "user"),
    Kind("conversation_preparation", _("Your preparation"), Preparation, "owner"),
    Kind(
        "conversation_private_notes",
        _("Your private notes"),
        PrivateNote,
        "owner",
        erase=delete_rows,
    ),
    Kind(
        "conversation_plans",
        _("Your plans of conversations with your people"),
        Plan,
        "leader",
        "conversations:people",
    ),
    Kind("development_record", _("When you last had a MUS"), DevelopmentRecord, "user"),
)
not_personal(
    Participant,
    reason="Who takes part in a thread; the threads are a kind of their own.",
)
not_personal(Template, reason="Questions for a kind of conversation, set by an administrator.")
retention(
    Rule("conversation_shared_notes", _("Shared notes of conversations"), SharedNote, "created_at"),
    Rule(
        "conversation_private_notes", _("Private notes on conversations"), PrivateNote, "created_at"
    ),
)
