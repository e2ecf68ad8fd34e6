-- The head of the dispatch ranking of many disputes at once (:ids), by the rules of
-- geo/disputes/dispatch.py: the same context as disputes_dispatch_context.sql, the same
-- facility pool and pick as disputes_dispatch_facilities.sql (jurisdiction, then distance,
-- then open workload, then code), the first :top roles that have someone to fill them. A
-- unit in the case's jurisdiction always beats one that is only near, so the nearest are
-- looked up only for the roles with no unit in the jurisdiction.
-- The role order of each (category, severity, violence mentioned) comes in as the plan_*
-- arrays and the kinds of each unit role as unit_role / unit_kind, built in dispatch.py.
WITH plan AS (
    SELECT *
    FROM unnest(CAST(:plan_category AS text[]), CAST(:plan_severity AS text[]),
                CAST(:plan_violent AS boolean[]), CAST(:plan_position AS int[]),
                CAST(:plan_role AS text[])) AS p(category, severity, violent, position, role)
),
unit_role AS (
    SELECT role, array_agg(kind) AS kinds
    FROM unnest(CAST(:unit_role AS text[]), CAST(:unit_kind AS text[])) AS u(role, kind)
    GROUP BY role
),
facility_workload AS (
    SELECT assigned_facility_id AS facility_id, count(*) AS open_workload
    FROM dispute
    WHERE assigned_facility_id IS NOT NULL
      AND wangge_is_open(status)
    GROUP BY assigned_facility_id
),
cases AS MATERIALIZED (
    SELECT d.id, d.category, d.severity, d.county_code, d.geom,
           EXISTS (SELECT 1 FROM unnest(CAST(:violence_words AS text[])) AS w(word)
                   WHERE strpos(d.description, w.word) > 0) AS violent,
           coalesce(g.village_code, CASE WHEN lu.level = 'village' THEN lu.code END)
               AS village_code,
           coalesce(g.township_code, CASE lu.level WHEN 'village' THEN lu.parent_code
                                                   WHEN 'township' THEN lu.code END)
               AS township_code,
           gl.code AS grid_leader_code, gl.name AS grid_leader_name,
           hl.code AS group_leader_code, hl.name AS group_leader_name
    FROM dispute d
    LEFT JOIN grid g ON g.id = d.grid_id
    -- no grid: the village or township intake routed the case to (位置待核实)
    LEFT JOIN admin_unit lu ON lu.code = d.location_admin_code AND d.grid_id IS NULL
    LEFT JOIN staff gl ON gl.id = g.leader_id
    LEFT JOIN address a ON a.id = d.address_id
    LEFT JOIN LATERAL (
        SELECT h.code, h.leader_id
        FROM household_group h
        WHERE h.valid_to IS NULL
          AND (h.id = a.household_group_id
               OR (a.household_group_id IS NULL AND d.grid_id IS NOT NULL
                   AND d.geom IS NOT NULL AND ST_Covers(h.geom, d.geom)))
        ORDER BY (h.id = a.household_group_id) DESC NULLS LAST, h.code
        LIMIT 1
    ) hg ON true
    LEFT JOIN staff hl ON hl.id = hg.leader_id
    WHERE d.id = ANY(CAST(:ids AS bigint[]))
),
case_roles AS MATERIALIZED (
    SELECT c.*, p.position, p.role
    FROM cases c
    -- one key rather than three columns: the planner then expects many rows, not a handful
    JOIN plan p ON concat_ws(' ', p.category, p.severity, p.violent)
                 = concat_ws(' ', c.category, c.severity, c.violent)
),
-- a unit role is filled from the case's village, else township, else county; by distance,
-- workload and code within that
in_jurisdiction AS (
    SELECT DISTINCT ON (r.id, r.role)
           r.id, r.position, r.role, f.kind, f.code, f.name,
           CASE WHEN r.geom IS NOT NULL
                THEN ST_Distance(f.geom::geography, r.geom::geography) END AS metres
    FROM case_roles r
    JOIN unit_role u ON u.role = r.role
    CROSS JOIN LATERAL unnest(u.kinds) AS k(kind)
    CROSS JOIN LATERAL (VALUES (0, r.village_code), (1, r.township_code), (2, r.county_code))
        AS j(level, code)
    JOIN facility f ON f.kind = k.kind AND f.admin_code = j.code AND f.county_code = r.county_code
    LEFT JOIN facility_workload w ON w.facility_id = f.id
    ORDER BY r.id, r.role, j.level, metres NULLS LAST, COALESCE(w.open_workload, 0),
             f.code COLLATE "C"
),
-- with none there, from the three nearest of each kind (a case with a point only)
without_unit AS MATERIALIZED (
    SELECT r.id, r.position, r.role, r.county_code, r.geom, u.kinds
    FROM case_roles r
    JOIN unit_role u ON u.role = r.role
    WHERE r.geom IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM in_jurisdiction j WHERE j.id = r.id AND j.role = r.role)
),
nearest AS (
    SELECT m.id, m.position, m.role, pick.kind, pick.code, pick.name, pick.metres
    FROM without_unit m
    CROSS JOIN LATERAL (
        SELECT f.kind, f.code, f.name,
               ST_Distance(f.geom::geography, m.geom::geography) AS metres
        FROM unnest(m.kinds) AS k(kind)
        CROSS JOIN LATERAL (
            SELECT n.id, n.kind, n.code, n.name, n.geom
            FROM facility n
            WHERE n.kind = k.kind AND n.county_code = m.county_code
            ORDER BY n.geom <-> m.geom
            LIMIT 3
        ) f
        LEFT JOIN facility_workload w ON w.facility_id = f.id
        ORDER BY metres, COALESCE(w.open_workload, 0), f.code COLLATE "C"
        LIMIT 1
    ) pick
),
candidates AS (
    SELECT r.id, r.position, r.role, 'staff' AS kind, r.grid_leader_code AS code,
           r.grid_leader_name AS name, CAST(NULL AS float8) AS metres
    FROM case_roles r
    WHERE r.role = 'grid_leader' AND r.grid_leader_code <> ''
    UNION ALL
    SELECT r.id, r.position, r.role, 'staff', r.group_leader_code, r.group_leader_name, NULL
    FROM case_roles r
    WHERE r.role = 'household_leader' AND r.group_leader_code <> ''
    UNION ALL
    SELECT id, position, role, kind, code, name, metres FROM in_jurisdiction
    UNION ALL
    SELECT id, position, role, kind, code, name, metres FROM nearest
),
ranked AS (
    SELECT id, role, kind, code, name, metres,
           row_number() OVER (PARTITION BY id ORDER BY position) AS rank
    FROM candidates
)
SELECT id AS dispute_id, rank, role, kind, code, name, metres
FROM ranked
WHERE rank <= :top
ORDER BY id, rank
