"""Charter: the company's promises in words, and (for managers) editing them with a preview of
the compliance they would give. Saving writes data/charter.toml keeping its comments (but those
beside a value changed, which spoke of the old value), recomputes every contact's deadlines and
records the edit in the audit log.
"""
from __future__ import annotations

import duckdb
import streamlit as st
import tomlkit
from streamlit.delta_generator import DeltaGenerator

from charter import engine
from charter import model as charter_model
from charter.model import (
    Charter, CharterError, charter_path, name_contradicts_deadline, parse_charter, save_charter_text,
)
from components import auth, context, formatting as fmt
from components.charter_editor import (
    add_standard, comments_above_changes, comments_dropped, comparison_frame, compliance_under, describe_changes,
    edit_schedule, edit_standard, distinct_ignoring_case, remove_standard, schedule_words, standards_table,
)
from components.filters import current_filters
from components.layout import wrapping_tabs
from components.labels import standard_label
from store import db

FLASH = "_charter_flash"
BASE = "_charter_base"        # the file's text when this draft started (to notice edits by others)
DRAFT = "_charter_draft"      # the draft's structure (standards added/removed, TOML applied)
GENERATION = "_charter_generation"  # part of every widget key: a new draft re-creates the forms
PREVIEW = "_charter_preview"


def _file_text() -> str:
    path = charter_path()
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _start_draft(text: str) -> None:
    st.session_state[BASE] = st.session_state[DRAFT] = text
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.session_state.pop(PREVIEW, None)


def _replace_draft(text: str) -> None:
    """Adopt a new draft structure (it must be a valid charter) and re-create the forms from it."""
    parse_charter(text)
    st.session_state[DRAFT] = text
    st.session_state[GENERATION] += 1
    st.rerun()


def _summary(charter: Charter):
    if not context.has_contacts():
        return None
    return context.query("standards_summary", current_filters(), as_of=context.as_of(),
                         standard_ids=[s.id for s in charter.standards])


def _scope_options() -> dict[str, list[str]]:
    options = context.query("filter_options")
    found: dict[str, list[str]] = {}
    for row in options.itertuples():
        if row.dimension != "partner" or row.value != "In-house":
            found.setdefault(row.dimension, []).append(str(row.value).strip())
    return {k: list(distinct_ignoring_case(v)) for k, v in found.items()}


# ----------------------------------------------------------------------------- read-only view

def _wording_warnings(charter: Charter, opening: str = "") -> None:
    """A promise whose name names another deadline than its own ('within 1 working hour' over 2)."""
    for problem in filter(None, (name_contradicts_deadline(standard) for standard in charter.standards)):
        st.warning(opening + fmt.literal(problem) + " Change the name or the deadline so that they agree.",
                   icon=":material/warning:")


def _view(current: Charter) -> None:
    st.header("Our promises")
    _wording_warnings(current)
    # a table that wraps, not a grid: seven columns of sentences ran past a projector's width, and the
    # compliance people come for was the column cut off
    st.table(standards_table(current, _summary(current)))
    st.caption("Compliance = met / (met + missed) for the period and filters in the sidebar; contacts still "
               "within their deadline are not counted yet.")
    st.markdown(f"**Working hours.** {schedule_words(current.schedule)}")


# ----------------------------------------------------------------------------- editor (managers)

def _tab_labels(draft: Charter, saved_ids: set[str]) -> list[str]:
    """Each standard's tab, named as the pages name them ('Acknowledgements'); the id, which the text
    editor below shows, only where two would read the same. A promise not saved yet is named by its
    id: the tabs are named from the draft, before the forms in them are read, so one named from its
    clock read 'Replies' (the new promise's default clock, as the saved Replies promise reads) however
    its form had been edited, until the draft was rebuilt."""
    names = {s.id: standard_label(s) for s in draft.standards if s.id in saved_ids}
    repeated = {name for name in names.values() if list(names.values()).count(name) > 1}
    return [fmt.literal(f"New: {s.id}" if s.id not in names else
                        f"{names[s.id]} ({s.id})" if names[s.id] in repeated else names[s.id])
            for s in draft.standards]


def _edited_document(saved_ids: set[str]) -> tuple[str, list[str], dict[tuple, DeltaGenerator]]:
    """Render the forms over the draft; the edited TOML text (the draft, edited in place), what
    the forms refuse beyond the charter's own checks (a new id with a space), and the empty places
    under the fields, by the setting each edits (as CharterError.setting names it)."""
    draft = parse_charter(st.session_state[DRAFT])
    document = tomlkit.parse(st.session_state[DRAFT])
    generation = st.session_state[GENERATION]
    tabs = wrapping_tabs(["Schedule"] + _tab_labels(draft, saved_ids), "charter-editor")
    with tabs[0]:
        schedule = document.get("schedule")
        table = schedule if schedule is not None else tomlkit.table()
        beside = {("schedule", name): place for name, place in
                  edit_schedule(table, draft.schedule, key=f"c{generation}_schedule").items()}
        if schedule is None and len(table):
            document.add("schedule", table)
    options = _scope_options()
    removing, problems = None, []
    for index, standard in enumerate(draft.standards):
        with tabs[index + 1]:
            problem, places = edit_standard(document["standard"][index], standard, f"c{generation}_s{index}",
                                            options, is_new=standard.id not in saved_ids)
            problems.append(problem)
            beside |= {("standard", index, name): place for name, place in places.items()}
            if st.button("Remove this standard", icon=":material/delete:", key=f"c{generation}_remove_{index}"):
                removing = index
    edited = document.as_string()
    if removing is not None:
        _change_structure(edited, lambda doc: remove_standard(doc, removing))
    return edited, [problem for problem in problems if problem], beside


def _change_structure(edited: str, change) -> None:
    try:
        parse_charter(edited)
    except CharterError as error:
        st.error(f"Fix this first: {error}")
        return
    document = tomlkit.parse(edited)
    change(document)
    _replace_draft(document.as_string())


def _raw_editor(edited: str) -> None:
    with st.expander("Edit the TOML directly", icon=":material/code:"):
        st.caption("The whole charter file as it would be saved. Comments are kept.")
        generation = st.session_state[GENERATION]
        raw = st.text_area("charter.toml", edited, height=520, key=f"c{generation}_raw_{hash(edited)}",
                           label_visibility="collapsed")
        if st.button("Apply this text", key=f"c{generation}_apply_raw"):
            try:
                _replace_draft(raw)
            except CharterError as error:
                st.error(f"This text is not a valid charter, nothing was applied: {error}")


def _preview(current: Charter, edited: Charter) -> None:
    if not context.has_contacts():
        st.caption("Load contacts on the Data page to preview the effect of an edit on compliance.")
        return
    key = (edited.fingerprint(), context.data_version(), current_filters())
    if st.button("Preview the effect on compliance", icon=":material/query_stats:", key="charter_preview"):
        with st.spinner("Recomputing the deadlines the edit changes…"):
            proposed = compliance_under(context.connection(), edited, current_filters(), context.as_of())
        now = context.query("standards_summary", current_filters(), as_of=context.as_of(),
                            standard_ids=[s.id for s in current.standards])
        st.session_state[PREVIEW] = (key, comparison_frame(current, now, edited, proposed))
    held = st.session_state.get(PREVIEW)
    if held and held[0] == key:
        st.markdown("**Compliance now and with the edits** (same contacts, period and filters; nothing saved yet)")
        # a table that wraps, not a grid: at 1280 px the grid's last column, the change the manager
        # previewed for, was cut to '-11.4 pt' and scrolled out of view
        st.table(held[1].set_index("promise"))


def _save(edited_text: str, changes: list[str]) -> None:
    who = auth.acting_manager("edit the charter")
    if not who:
        return
    # A double click on Save starts a second run while the first still recomputes (seconds on a
    # large history): it waits, then finds the file already saved as edited and saves nothing, where
    # it saved (and audited) the same edit twice. (A page script is run afresh each time: the lock
    # lives in charter.model.)
    with charter_model.SAVING:
        on_disk = _file_text()
        if on_disk != edited_text:
            if on_disk != st.session_state[BASE]:
                st.error("The charter file was changed by someone else since you started editing. Nothing was saved. "
                         "Download your edits (above) to keep them, then choose 'Discard my edits' to start again "
                         "from the saved file and make them there.")
                return
            # A schedule edit recomputes every contact's clocks (seconds on a large history): said
            # where the manager clicked, which otherwise sat unchanged as if the click was lost.
            try:
                edited = parse_charter(edited_text)
                with st.spinner("Saving the charter and recomputing every contact's deadlines…"), \
                        db.write_transaction(context.connection()) as cursor:
                    engine.refresh(cursor, edited)
                    db.bump_data_version(cursor)
                    db.record_audit(cursor, who, "edit charter", "; ".join(changes)[:2000])
                    db.write_meta(cursor, context.CHARTER_TEXT, edited_text)   # known: not an edit outside the app
                    save_charter_text(edited_text)  # last: if the file cannot be written, the recompute rolls back
            except CharterError as error:
                st.error(f"The charter was not saved: {error}")
                return
            except (OSError, duckdb.Error) as error:
                st.error(f"The charter could not be saved ({error}). Nothing was changed.")
                return
    _start_draft(_file_text())
    st.session_state.setdefault(FLASH, []).append(
        "Charter saved; every contact's deadlines were recomputed, and every page now uses it.")
    st.rerun()


def _changed_by_someone_else(base_text: str, file_text: str, edited_text: str) -> None:
    """Someone saved the charter while this manager edited it: what they changed, and this manager's
    edits to take away. Saving over theirs would lose their change; starting again from their file
    would lose these edits, unless kept first."""
    try:
        theirs = describe_changes(parse_charter(base_text), parse_charter(file_text)) or ["comments or layout only"]
    except CharterError:   # either side not a charter (a first file, a broken one): no list to give
        theirs = ["the file as a whole"]
    st.warning("The charter file changed on disk since you started editing (someone else saved it): "
               + "; ".join(fmt.literal(line) for line in theirs) + ". Your edits cannot be saved over it. Download "
               "them to keep them, then 'Discard my edits' to start again from the saved file.",
               icon=":material/sync_problem:")
    st.download_button("Download my edits (TOML)", edited_text.encode("utf-8"), "charter-my-edits.toml",
                       mime="application/toml", icon=":material/download:", key="charter_download_draft",
                       on_click="ignore")


def _editor(current: Charter | None) -> None:
    file_text = _file_text()
    if BASE not in st.session_state:
        _start_draft(file_text)
    st.header("Edit the charter")
    notice = st.container()   # above the forms, though it offers what they edit
    try:
        edited_text, refused, beside = _edited_document({s.id for s in current.standards} if current else set())
    except CharterError:  # only when the saved file itself is broken: fix it as text
        edited_text, refused, beside = st.session_state[DRAFT], [], {}
    if file_text != st.session_state[BASE]:
        with notice:
            _changed_by_someone_else(st.session_state[BASE], file_text, edited_text)
    if st.button("Add a standard", icon=":material/add:", key="charter_add"):
        _change_structure(edited_text, lambda doc: add_standard(
            doc, {s.id for s in parse_charter(edited_text).standards}))
    _raw_editor(edited_text)

    st.header("Review and save")
    # here, where the manager clicked Save at the page's foot: at the top of the page the message was
    # out of view, and the toast alone fades; both are shown
    for message in st.session_state.pop(FLASH, []):
        st.success(message, icon=":material/task_alt:")
        st.toast(message, icon=":material/task_alt:")
    try:
        edited = parse_charter(edited_text)
    except CharterError as error:
        blocked = f"The charter cannot be saved as it is: {error}"
        st.error(blocked, icon=":material/error:")
        # and under the field that says it, in the same words: the check is the charter's own. One
        # that no field says (a scope kind such as 'complaints', two standards with one id) is said
        # above the forms too: beside Save alone it sat far below, out of view on a long form.
        if error.setting in beside:
            beside[error.setting].error(str(error), icon=":material/error:")
        else:
            notice.error(blocked, icon=":material/error:")
        edited = None
    for problem in refused:
        st.error(f"The charter cannot be saved as it is: {problem}", icon=":material/error:")
    changes: list[str] = []
    if edited_text == file_text and file_text == st.session_state[BASE]:
        st.caption("No changes yet.")
        return
    if edited is not None:
        changes = (describe_changes(current, edited) if current else ["charter file repaired"]) \
            or ["comments or layout only"]
        st.markdown("**What changes**\n" + "\n".join(f"- {fmt.literal(line)}" for line in changes))
        dropped = comments_dropped(st.session_state[BASE], edited_text)
        if dropped:   # they spoke of the old values; comment lines of their own stay
            st.caption("Saving removes the comments written beside the values you changed, which described the "
                       "old ones: " + "; ".join(fmt.literal(line) for line in dropped) + ".")
        stale = comments_above_changes(st.session_state[BASE], edited_text)
        if stale:   # kept: a line of its own may give a reason no edit makes untrue; only the manager knows
            st.caption("These comment lines above what you changed stay in the file and may no longer be true: "
                       + "; ".join(fmt.literal(line) for line in stale) + ". If one is not, reword or remove it "
                       "under 'Edit the TOML directly' before saving.")
        _wording_warnings(edited, "As edited: ")
        if current is not None:
            _preview(current, edited)
    save, discard, _ = st.columns([2, 2, 4])
    if save.button("Save the charter", type="primary", icon=":material/save:", key="charter_save",
                   disabled=edited is None or bool(refused)):
        _save(edited_text, changes)
    if discard.button("Discard my edits", key="charter_discard"):
        _start_draft(file_text)
        st.rerun()


st.title("Charter")
st.caption("The promises the company publishes, and the working hours behind them. Every contact is checked "
           "against this charter.")
try:
    saved_charter = context.charter()
except CharterError as problem:
    st.error(f"The charter file cannot be used: {context.public_charter_problem(problem)}")
    saved_charter = None
if saved_charter is not None:
    _view(saved_charter)
if auth.require_manager():
    _editor(saved_charter)
else:
    with st.expander("The charter file (read-only)", icon=":material/description:"):
        st.code(_file_text(), language="toml")
