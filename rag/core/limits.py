"""Request limits, defined once: the API's schemas, drafting's own checks, the body-size guard and the
page's messages all read these."""

MAX_QUESTION = 2000  # characters; a longer question is refused before any retrieval
MAX_HISTORY = 20  # earlier questions of a conversation sent with a follow-up
MAX_K = 100  # chunks retrieved per question
MAX_BUREAU = 100  # characters of a bureau filter
MAX_TITLE = 200  # characters of a proposal's title (drafting)
MAX_TEXT = 50_000  # characters of a proposal's text (drafting)
MAX_NAME = 100  # addressee, meeting, bureau, co-handling unit
MAX_SHORT = 50  # proposal number, contact, phone
MAX_CO_UNITS = 30
MAX_FILES = 20  # letters per upload request
MAX_DOC_ID = 200
MAX_ANSWER = 20_000  # characters of an answer sent back with feedback
MAX_REASON = 500  # characters of a feedback reason
MAX_CITATIONS = 50  # citations sent back with feedback
