"""The platform's sector list; an organizer can extend it per event (Event.sectors)."""

DEFAULT_SECTORS = [
    "Software development & outsourcing",
    "ERP, CRM & business software",
    "Fintech & banking IT",
    "E-government & public sector IT",
    "Smart cities & mobility",
    "Agritech & IoT",
    "Cybersecurity",
    "AI, data & computer vision",
    "Health IT",
    "E-learning & edtech",
    "Tourism tech",
    "Energy & smart grids",
    "Logistics & supply chain",
    "Automotive & embedded systems",
    "Games & creative industries",
    "Cloud, data centres & telecom",
    "Research, innovation & EU projects",
    "Manufacturing & Industry 4.0",
]


def sector_choices(*events):
    """Default sectors followed by the extra ones of `events`, without repeats."""
    names = list(DEFAULT_SECTORS)
    for event in events:
        names += [name for name in (event.sectors or []) if name not in names]
    return [(name, name) for name in names]
