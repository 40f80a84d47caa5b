-- The first and last day (charter timezone) on which contacts were opened.
SELECT min(opened_date) AS first_day, max(opened_date) AS last_day FROM contact_clocks
