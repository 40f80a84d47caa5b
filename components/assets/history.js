// One entry in the browser's history per thing the reader did (components/links.py, one_entry_per_step).
// Streamlit adds an entry whenever the address changes; a change the app makes by itself (a shared
// link's outdated value put right, a guessed address moved to its page's own) added an in-between
// entry, on which Back landed instead of the page the reader came from.
(() => {
  if (window.charterDeskOneEntryPerStep) return;
  window.charterDeskOneEntryPerStep = true;

  // From now on, an address change made without a click or a key pressed since the last entry replaces
  // the entry instead of adding one.
  let acted = false;
  for (const type of ["pointerdown", "keydown"]) window.addEventListener(type, () => { acted = true; }, true);
  window.addEventListener("popstate", () => { acted = false; }, true);
  const push = history.pushState.bind(history), replace = history.replaceState.bind(history);
  history.pushState = (state, unused, url) => {
    const step = acted;
    acted = false;
    return (step ? push : replace)(state, unused, url);
  };

  // The first run may put the link right before this script is in the page: the entries this page added
  // before it (the link as opened, and as half put right), with nothing done by the reader yet, are
  // passed over, unseen by Streamlit (which would show each): Back goes on to the page before the link,
  // or, with none, stays on the link put right.
  if (!window.navigation || !navigation.currentEntry) return;
  const entries = navigation.entries(), putRight = navigation.currentEntry.index;
  let opened = putRight;
  while (opened > 0 && entries[opened - 1].sameDocument) opened--;
  const passedOver = new Set(entries.slice(opened, putRight).map(entry => entry.key));
  if (!passedOver.size) return;
  window.addEventListener("popstate", event => {
    const here = navigation.currentEntry;
    if (!passedOver.has(here.key)) return;
    event.stopImmediatePropagation();
    history.go((opened > 0 ? opened - 1 : putRight) - here.index);
  }, true);
})();
