-- The first and last day (charter timezone) on which contacts were opened, and the first and last
-- billing period of the prices, which may reach further back than the helpdesk's export.
SELECT (SELECT min(opened_date) FROM contact_clocks) AS first_day,
       (SELECT max(opened_date) FROM contact_clocks) AS last_day,
       (SELECT min(period) FROM prices) AS first_bill_day,
       (SELECT max(period) FROM prices) AS last_bill_day
