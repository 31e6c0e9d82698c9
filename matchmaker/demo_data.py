"""Demo content for a realistic B2B brokerage event ("BBS ICT Brokerage Days 2027").

Pure data, standard library only: the loader turns these structures into database rows.

* ``EVENT`` - the event, its meeting days/sessions, breaks and sector list.
* ``ORGANIZER`` - the organiser account (its ``organisation`` names an entry of ORGANISATIONS).
* ``ORGANISATIONS`` - plain dicts, one per participating organisation, with ``people``,
  ``opportunities`` (offers and requests) and ``unavailable`` windows
  (``(date, start, end)`` tuples, empty list when always available).
* ``MEETING_REQUESTS`` - person-to-person requests, by email.
* ``DEMO_LOGINS`` / ``DEMO_PASSWORD`` - accounts to print after loading.

All organisations, people, phone numbers and websites are fictional; only cities are real.
Websites and emails use the reserved ``.example`` / ``.test`` top-level domains.
"""

# --- Sectors ---------------------------------------------------------------------------------

S_SOFT = "Software development & outsourcing"
S_ERP = "ERP, CRM & business software"
S_FIN = "Fintech & banking IT"
S_GOV = "E-government & public sector IT"
S_CITY = "Smart cities & mobility"
S_AGRI = "Agritech & IoT"
S_SEC = "Cybersecurity"
S_AI = "AI, data & computer vision"
S_HEALTH = "Health IT"
S_EDU = "E-learning & edtech"
S_TOUR = "Tourism tech"
S_ENERGY = "Energy & smart grids"
S_LOG = "Logistics & supply chain"
S_AUTO = "Automotive & embedded systems"
S_GAMES = "Games & creative industries"
S_CLOUD = "Cloud, data centres & telecom"
S_RDI = "Research, innovation & EU projects"

EVENT = {
    "slug": "bbs-ict-brokerage-2027",
    "title": "BBS ICT Brokerage Days 2027",
    "description": (
        "BBS ICT Brokerage Days 2027 is the yearly matchmaking event of the Balkan and Black Sea "
        "ICT Clusters Network, held in Sofia alongside the Digital Balkans Expo fair. "
        "Software companies, telecoms, universities, research institutes, clusters and public "
        "bodies from across South-East Europe, the Black Sea region and the South Caucasus meet "
        "to find clients, subcontractors, technology partners and consortium members. "
        "Participants publish what they offer and what they are looking for, browse the "
        "catalogue and request one-to-one meetings before the event. "
        "Accepted requests are turned into a personal agenda of 25-minute meetings at numbered "
        "tables in the brokerage area of Hall 5."
    ),
    "venue": "Inter Expo Center, Hall 5 - Brokerage Area",
    "city": "Sofia",
    "country": "BG",
    "timezone": "Europe/Sofia",
    "days": [
        {"date": "2027-05-18", "sessions": [("09:30", "12:30"), ("14:00", "17:30")]},
        {"date": "2027-05-19", "sessions": [("09:30", "13:00")]},
    ],
    "meeting_minutes": 25,
    "gap_minutes": 5,
    "tables": 18,
    "breaks": [
        {"date": "2027-05-18", "start": "11:00", "end": "11:15", "title": "Coffee break"},
        {"date": "2027-05-18", "start": "15:30", "end": "15:45", "title": "Coffee break"},
        {"date": "2027-05-19", "start": "11:00", "end": "11:15", "title": "Coffee break"},
    ],
    "sectors": [
        S_SOFT,
        S_ERP,
        S_FIN,
        S_GOV,
        S_CITY,
        S_AGRI,
        S_SEC,
        S_AI,
        S_HEALTH,
        S_EDU,
        S_TOUR,
        S_ENERGY,
        S_LOG,
        S_AUTO,
        S_GAMES,
        S_CLOUD,
        S_RDI,
    ],
}

ORGANIZER = {
    "name": "Desislava Georgieva",
    "email": "organizer@demo.matchmaker.test",
    "organisation": "Sofia ICT Cluster",
}

DAY1 = "2027-05-18"
DAY2 = "2027-05-19"


# --- Small builders (keep the lists below readable; output is plain dicts) --------------------


def _p(name, local, job_title, phone):
    """A person; ``local`` is the part of the email before ``@`` (domain added by ``_org``)."""
    return {"name": name, "email": local, "job_title": job_title, "phone": phone}


def _offer(category, title, description, keywords):
    return {
        "kind": "offer",
        "category": category,
        "title": title,
        "description": description,
        "keywords": list(keywords),
    }


def _request(category, title, description, keywords):
    return {
        "kind": "request",
        "category": category,
        "title": title,
        "description": description,
        "keywords": list(keywords),
    }


def _org(
    name,
    country,
    city,
    org_type,
    size,
    slug,
    description,
    sectors,
    people,
    looking_for,
    opportunities,
    unavailable=(),
):
    """One organisation.

    Website becomes ``https://<slug>.example`` and each email ``<local>@<slug>.example``.
    """
    return {
        "name": name,
        "country": country,
        "city": city,
        "type": org_type,
        "size": size,
        "website": f"https://{slug}.example",
        "description": description,
        "sectors": list(sectors),
        "people": [dict(person, email=f"{person['email']}@{slug}.example") for person in people],
        "looking_for": looking_for,
        "opportunities": list(opportunities),
        "unavailable": [tuple(window) for window in unavailable],
    }


ORGANISATIONS = [
    # ----------------------------------------------------------------------- Bulgaria (BG)
    _org(
        "Sofia ICT Cluster",
        "BG",
        "Sofia",
        "cluster",
        "10-49",
        "sofia-ict-cluster",
        "Association of 140 Bulgarian software companies, universities and service providers. "
        "Coordinator of the Balkan and Black Sea ICT Clusters Network and host of the brokerage "
        "days. Partner in the EDIH network for Western Bulgaria.",
        [S_SOFT, S_RDI],
        [
            _p(
                "Kalina Stoyanova",
                "kalina.stoyanova",
                "Project Manager, EU programmes",
                "+359 2 981 4410",
            ),
            _p("Nikolay Dimov", "nikolay.dimov", "Cluster Manager", "+359 88 412 7730"),
        ],
        "Cluster partners for Digital Europe and Interreg proposals",
        [
            _offer(
                "partnership",
                "Access to 140 Bulgarian ICT companies",
                "We help foreign clusters and companies find Bulgarian subcontractors and "
                "partners: company visits, B2B meetings and soft-landing support in Sofia.",
                ["cluster", "soft landing", "subcontracting", "Bulgaria"],
            ),
            _request(
                "rd_cooperation",
                "Partners for Digital Europe skills project",
                "Looking for 3-4 clusters or universities from the Western Balkans and the "
                "Caucasus to join a Digital Europe proposal on advanced digital skills "
                "(short courses in cybersecurity and AI for SMEs). Call closes in autumn "
                "2027, we coordinate.",
                ["Digital Europe", "digital skills", "consortium", "cluster"],
            ),
        ],
    ),
    _org(
        "Vitosha Soft Labs",
        "BG",
        "Sofia",
        "sme",
        "50-249",
        "vitoshasoft",
        "Nearshore software house with 120 engineers in Sofia and Plovdiv. We build and maintain "
        "web platforms, mobile apps and backend systems for clients in Germany, Austria and the "
        "Netherlands.",
        [S_SOFT, S_CLOUD],
        [_p("Ivan Petrov", "ivan.petrov", "Head of Business Development", "+359 2 491 2210")],
        "Long-term nearshoring clients and reseller partners in the region",
        [
            _offer(
                "service",
                "Dedicated Java and .NET teams",
                "Dedicated teams of 3-15 developers (Java/Spring, .NET, React, QA) working in "
                "your time zone. ISO 27001 certified, English and German speaking project "
                "managers, start within 4 weeks.",
                ["nearshoring", "outsourcing", "java", ".net", "dedicated team"],
            ),
            _offer(
                "service",
                "Legacy application modernisation",
                "Moving monolithic applications to microservices and containers.",
                ["modernisation", "microservices", "kubernetes", "cloud migration"],
            ),
            _request(
                "partnership",
                "Resellers in Greece and Cyprus",
                "We are looking for IT integrators in Greece and Cyprus who want to offer "
                "our development capacity to their own clients (white label).",
                ["white label", "reseller", "Greece", "Cyprus"],
            ),
        ],
    ),
    _org(
        "Plovdiv Agro Data",
        "BG",
        "Plovdiv",
        "sme",
        "10-49",
        "plovdiv-agrodata",
        "Small team building farm management software for vegetable and fruit growers in the "
        "Thracian plain.",
        [S_AGRI, S_AI],
        [_p("Georgi Kolev", "georgi.kolev", "Founder & CTO", "+359 32 604 118")],
        "Hardware partners for field sensors; distributors in Romania and North Macedonia",
        [
            _offer(
                "product",
                "Farm management app for growers",
                "Mobile and web app for planning, spraying diary, irrigation and harvest "
                "records. Works offline, available in Bulgarian, English and Romanian.",
                ["farm management", "agritech", "mobile app", "irrigation"],
            ),
            _request(
                "technology",
                "Need hardware partner for field sensors",
                "Our app needs data from the field. Searching for a manufacturer or "
                "integrator of soil and weather sensors with open API (LoRa or NB-IoT).",
                ["soil sensors", "weather station", "LoRa", "NB-IoT", "IoT"],
            ),
        ],
    ),
    _org(
        "Higher School of Computing and Telecommunications",
        "BG",
        "Sofia",
        "university",
        "250+",
        "hsct-sofia",
        "Technical university with faculties of computer systems, telecommunications and applied "
        "mathematics, 6,800 students. Runs a 5G test lab and a cybersecurity range.",
        [S_RDI, S_SEC, S_CLOUD],
        [
            _p(
                "Prof. Elena Marinova",
                "elena.marinova",
                "Vice-Rector for Research",
                "+359 2 965 3321",
            )
        ],
        "Industry partners for joint research and student internships",
        [
            _offer(
                "rd_cooperation",
                "5G test lab and cyber range for companies",
                "Companies can test 5G use cases (private network, network slicing, edge "
                "computing) and run cyber exercises in our labs. We can join Horizon Europe "
                "and Digital Europe projects as a research partner.",
                ["5G", "testbed", "cyber range", "Horizon Europe", "edge computing"],
            ),
            _request(
                "partnership",
                "Internship places for students",
                "We are looking for software companies offering paid 3-6 month internships "
                "to our master students (AI, networks, security).",
                ["internships", "students", "talent"],
            ),
        ],
        unavailable=[(DAY1, "14:00", "15:30")],
    ),
    _org(
        "Varna Maritime Logistics Software",
        "BG",
        "Varna",
        "sme",
        "10-49",
        "varna-mls",
        "Software for port terminals, freight forwarders and shipping agents on the Black Sea.",
        [S_LOG, S_SOFT],
        [_p("Stefan Nedev", "stefan.nedev", "Sales Director", "+359 52 711 904")],
        "Port and logistics clients in Romania, Georgia and Türkiye",
        [
            _offer(
                "product",
                "Terminal operating system for small ports",
                "Container and bulk yard planning, gate automation with OCR, customs "
                "messaging (EDIFACT) and billing. Deployed in 3 Black Sea terminals.",
                ["port", "terminal operating system", "EDIFACT", "logistics", "OCR"],
            ),
            _request(
                "partnership",
                "Local partners in Constanța, Poti and Batumi",
                "Searching for implementation partners near Black Sea ports.",
                ["Black Sea", "ports", "implementation partner"],
            ),
        ],
    ),
    _org(
        "Serdika Bank Technology",
        "BG",
        "Sofia",
        "large_company",
        "250+",
        "serdika-banktech",
        "IT subsidiary of a Bulgarian commercial bank group, running core banking, cards and "
        "digital channels for 1.4 million clients.",
        [S_FIN, S_SEC, S_CLOUD],
        [
            _p("Maria Ivanova", "maria.ivanova", "Head of Digital Partnerships", "+359 2 800 4455"),
            _p(
                "Todor Vasilev",
                "todor.vasilev",
                "CISO Office, Security Architect",
                "+359 2 800 4471",
            ),
        ],
        "Fintech startups for open banking pilots; external security testers",
        [
            _request(
                "service",
                "Penetration testing of mobile banking app",
                "Before the autumn release we need an independent pentest (OWASP MASVS) of "
                "our iOS and Android apps and the API gateway, plus a retest. Vendor must "
                "have experience with banks and accept a DORA-compliant contract.",
                ["penetration testing", "mobile security", "OWASP", "DORA", "banking"],
            ),
            _request(
                "partnership",
                "Open banking fintechs for pilot",
                "PSD2 / open banking startups wanted: account aggregation, SME invoicing, "
                "instant payments. We offer sandbox access and a paid pilot.",
                ["open banking", "PSD2", "fintech", "pilot", "instant payments"],
            ),
            _offer(
                "expertise",
                "Sandbox for fintechs",
                "API sandbox and mentoring from our architects for startups in the region.",
                ["sandbox", "API", "fintech"],
            ),
        ],
        unavailable=[(DAY2, "09:30", "13:00")],
    ),
    _org(
        "Bulgarian Institute for Data and Robotics",
        "BG",
        "Sofia",
        "research_organisation",
        "50-249",
        "bidr",
        "Independent research institute for machine learning, natural language processing for "
        "Balkan languages and service robotics.",
        [S_AI, S_RDI],
        [_p("Dr. Viktor Angelov", "viktor.angelov", "Head of NLP Group", "+359 2 870 1190")],
        "Industrial data and use cases; Horizon Europe consortia",
        [
            _offer(
                "technology",
                "Language models for Balkan languages",
                "Speech recognition, chatbots and document understanding for Bulgarian, "
                "Macedonian, Serbian, Romanian and Greek. Can be deployed on-premise for "
                "public administration and banks.",
                ["NLP", "LLM", "speech recognition", "chatbot", "AI"],
            ),
            _request(
                "rd_cooperation",
                "Horizon Europe partners: trustworthy AI",
                "We are building a consortium for a Horizon Europe Cluster 4 call on "
                "trustworthy AI for public services. Need 2 pilot sites (municipalities or "
                "agencies) and one SME integrator.",
                ["Horizon Europe", "trustworthy AI", "public sector", "consortium"],
            ),
        ],
    ),
    _org(
        "Ruse Regional Development Agency",
        "BG",
        "Ruse",
        "public_body",
        "10-49",
        "ruse-rda",
        "Regional development agency for North-Central Bulgaria, supporting SMEs along the "
        "Danube with EU funding and cross-border projects with Romania.",
        [S_GOV, S_RDI],
        [
            _p(
                "Petya Hristova",
                "petya.hristova",
                "Cross-border Projects Officer",
                "+359 82 821 640",
            )
        ],
        "Romanian partners for Interreg projects; digital tools for local SMEs",
        [
            _offer(
                "partnership",
                "Interreg Romania-Bulgaria partner",
                "Experienced lead partner/partner for Interreg RO-BG projects on SME "
                "digitalisation and tourism along the Danube.",
                ["Interreg", "cross-border", "Danube", "SME digitalisation"],
            ),
            _request(
                "service",
                "Оценка на дигиталната зрелост на МСП",
                "Търсим инструмент или доставчик на услуга за оценка на дигиталната "
                "зрелост на 200 малки и средни предприятия от региона. Tool for digital "
                "maturity assessment of 200 SMEs, ideally in Bulgarian.",
                ["digital maturity", "assessment", "SME", "EDIH"],
            ),
        ],
    ),
    _org(
        "Burgas Municipality - Smart City Office",
        "BG",
        "Burgas",
        "public_body",
        "10-49",
        "burgas-smartcity",
        "Digital office of the municipality of Burgas, responsible for e-services, open data "
        "and smart city pilots.",
        [S_CITY, S_GOV, S_SEC],
        [
            _p(
                "Radostina Yaneva",
                "radostina.yaneva",
                "Head of Smart City Office",
                "+359 56 907 215",
            )
        ],
        "Smart parking, traffic data, security audit of municipal systems",
        [
            _request(
                "product",
                "Smart parking in the city centre",
                "Sensors + mobile app for 1,200 street parking places, integration with our "
                "payment by SMS. Pilot in 2027, public procurement in 2028.",
                ["smart parking", "sensors", "mobile app", "smart city"],
            ),
            _request(
                "service",
                "Security audit of municipal IT",
                "Information security audit and staff awareness training for the "
                "municipal administration (about 400 users).",
                ["security audit", "infosec", "awareness training", "NIS2"],
            ),
            _offer(
                "expertise",
                "Open data portal experience",
                "We share our experience running a city open data portal.",
                ["open data", "smart city"],
            ),
        ],
    ),
    _org(
        "Rila Health Software",
        "BG",
        "Sofia",
        "sme",
        "10-49",
        "rilahealth",
        "Software for hospitals and laboratories: lab information system, e-referrals and "
        "patient portal. Used in 22 Bulgarian hospitals.",
        [S_HEALTH, S_SOFT],
        [_p("Dr. Anna Todorova", "anna.todorova", "CEO", "+359 2 955 6012")],
        "Distribution partners for hospitals in the region",
        [
            _offer(
                "product",
                "Laboratory information system (LIS) with HL7 FHIR",
                "LIS with analyser connectivity, HL7 v2 and FHIR interfaces, integration "
                "with national e-health registries.",
                ["LIS", "HL7", "FHIR", "interoperability", "hospital"],
            ),
            _request(
                "partnership",
                "Distributors for hospitals in Serbia and North Macedonia",
                "We are searching partner with hospital contacts to localise and sell our LIS.",
                ["distribution", "hospital", "health IT", "localisation"],
            ),
        ],
        unavailable=[(DAY1, "14:00", "15:30")],
    ),
    _org(
        "Pixel Mountain Games",
        "BG",
        "Sofia",
        "company",
        "50-249",
        "pixelmountain",
        "Independent game studio making mobile and PC strategy games. 85 people, 4 titles "
        "published.",
        [S_GAMES],
        [_p("Boris Iliev", "boris.iliev", "Production Director", "+359 2 439 7781")],
        "Art outsourcing and porting partners",
        [
            _request(
                "service",
                "Art outsourcing - 2D and 3D",
                "We need co-development partner for 3D environment art and 2D UI for a new "
                "strategy game, 10-14 months.",
                ["art outsourcing", "3D art", "co-development", "games"],
            ),
            _request(
                "service",
                "Console porting",
                "Porting of a Unity PC game to Switch and PlayStation.",
                ["porting", "Unity", "console"],
            ),
            _offer(
                "expertise",
                "Live-ops and monetisation know-how",
                "Happy to advise younger studios on live-ops and publisher deals.",
                ["live ops", "games", "publishing"],
            ),
        ],
    ),
    _org(
        "Kodra Cyber",
        "BG",
        "Plovdiv",
        "sme",
        "10-49",
        "kodracyber",
        "Offensive security boutique: penetration testing, red teaming and secure code review.",
        [S_SEC],
        [_p("Yavor Mladenov", "yavor.mladenov", "Managing Partner", "+359 32 511 078")],
        "Clients in finance and public sector; partner SOC",
        [
            _offer(
                "service",
                "Pentest & red team",
                "Web, mobile and API penetration testing, red teaming, OSCP/OSCE certified "
                "team. Reports in English and Bulgarian.",
                ["penetration testing", "red team", "mobile security", "API security"],
            ),
            _request(
                "partnership",
                "Partner with 24/7 SOC",
                "We do the offensive side; looking for a managed SOC / MDR provider to "
                "offer a joint package.",
                ["SOC", "MDR", "managed security"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Romania (RO)
    _org(
        "Transilvania Digital Cluster",
        "RO",
        "Cluj-Napoca",
        "cluster",
        "10-49",
        "transilvania-digital",
        "Cluster of 90 IT companies, the Technical University and public partners in the "
        "North-West region of Romania. Member of the BBS network and of a regional EDIH.",
        [S_SOFT, S_RDI],
        [_p("Andreea Mureșan", "andreea.muresan", "Executive Director", "+40 264 590 312")],
        "Cluster-to-cluster cooperation and consortium partners",
        [
            _offer(
                "partnership",
                "Romanian partners for EU consortia",
                "We match foreign consortia with Romanian SMEs and researchers.",
                ["consortium building", "Horizon Europe", "cluster"],
            ),
            _request(
                "partnership",
                "Clusters for joint internationalisation mission",
                "We look for 3 ICT clusters to share the costs of a joint trade mission "
                "to Central Asia in 2028.",
                ["internationalisation", "trade mission", "cluster", "COSME"],
            ),
        ],
    ),
    _org(
        "Codeforge Cluj",
        "RO",
        "Cluj-Napoca",
        "sme",
        "50-249",
        "codeforge",
        "Software outsourcing company, 160 people. Strong in e-commerce, fintech backends and QA "
        "automation for Western European clients.",
        [S_SOFT, S_FIN],
        [_p("Radu Pop", "radu.pop", "Business Development Manager", "+40 744 210 385")],
        "Direct clients and subcontracting in fintech",
        [
            _offer(
                "service",
                "Software outsourcing & QA automation",
                "Full-cycle product development, test automation (Playwright, Cypress, "
                "Appium) and performance testing. Teams ready in 2-3 weeks.",
                ["outsourcing", "QA automation", "test automation", "e-commerce"],
            ),
            _offer(
                "service",
                "Payment gateway integration",
                "Integrating card acquiring, instant payments and BNPL into web shops.",
                ["payments", "fintech", "integration"],
            ),
            _request(
                "partnership",
                "Nearshoring partners for peak capacity",
                "Sometimes we need 2-5 extra senior developers for 3-6 months. "
                "Looking for trusted partner companies in the region.",
                ["subcontracting", "capacity", "nearshoring", "senior developers"],
            ),
        ],
    ),
    _org(
        "Cooperativa Agricolă AgroVest",
        "RO",
        "Slobozia",
        "company",
        "10-49",
        "agrovest",
        "Agricultural cooperative of 46 farms cultivating 11,000 ha of cereals, sunflower and "
        "vegetables in Ialomița county.",
        [S_AGRI],
        [_p("Ion Dumitrescu", "ion.dumitrescu", "President of the Cooperative", "+40 243 230 771")],
        "Digital tools for precision farming",
        [
            _request(
                "technology",
                "Soil moisture sensors and farm dashboard",
                "We need soil moisture sensors for about 40 fields and one dashboard where "
                "all members see moisture, rain and irrigation needs on their phone. Fields "
                "are far from mobile coverage in some places.",
                ["soil moisture", "sensors", "dashboard", "irrigation", "precision farming"],
            ),
            _request(
                "service",
                "Satellite crop monitoring",
                "Monitorizare culturi prin satelit (NDVI) pentru toți membrii cooperativei.",
                ["satellite", "NDVI", "crop monitoring"],
            ),
        ],
        unavailable=[(DAY1, "09:30", "11:00")],
    ),
    _org(
        "Iași University of Engineering and Informatics",
        "RO",
        "Iași",
        "university",
        "250+",
        "iuei",
        "Public technical university with 14,000 students. Strong groups in embedded systems, "
        "computer vision and energy engineering.",
        [S_RDI, S_AI, S_ENERGY],
        [
            _p(
                "Conf. dr. Mihai Lungu",
                "mihai.lungu",
                "Director, Technology Transfer Office",
                "+40 232 701 455",
            )
        ],
        "Companies for applied research contracts and EU projects",
        [
            _offer(
                "rd_cooperation",
                "Applied research in computer vision and embedded AI",
                "Our labs develop visual inspection, edge AI on microcontrollers and "
                "energy-efficient sensing. We work on contract with industry and in Horizon "
                "Europe projects.",
                ["computer vision", "edge AI", "embedded", "applied research"],
            ),
            _request(
                "rd_cooperation",
                "Industrial partners for doctoral research",
                "Industrial PhD positions co-funded by companies (visual quality control, "
                "predictive maintenance).",
                ["industrial PhD", "predictive maintenance", "quality control"],
            ),
        ],
    ),
    _org(
        "Danubia Fintech",
        "RO",
        "Bucharest",
        "sme",
        "10-49",
        "danubia-fintech",
        "Startup building an invoice financing and cash-flow platform for SMEs, connected to "
        "Romanian e-Factura.",
        [S_FIN],
        [_p("Alexandra Ionescu", "alexandra.ionescu", "Co-founder & CEO", "+40 722 981 004")],
        "Seed investment and bank partners",
        [
            _offer(
                "product",
                "Invoice financing platform for SMEs",
                "SMEs upload e-invoices and get financing offers from banks and funds in 48 hours.",
                ["invoice financing", "factoring", "e-invoicing", "SME"],
            ),
            _request(
                "investment",
                "Seed round EUR 1.2M",
                "Raising a seed round to expand to Bulgaria and Greece. 600 SMEs onboarded, "
                "EUR 9M financed.",
                ["seed round", "investment", "fintech", "expansion"],
            ),
            _request(
                "partnership",
                "Bank partners in Bulgaria",
                "Looking for banks interested in SME invoice financing via API.",
                ["banking", "open banking", "API", "Bulgaria"],
            ),
        ],
    ),
    _org(
        "ERPNova Integrare",
        "RO",
        "Timișoara",
        "sme",
        "10-49",
        "erpnova",
        "SAP Business One and Microsoft Dynamics partner. We connect ERPs with web shops, "
        "warehouses, e-invoicing and banks.",
        [S_ERP],
        [_p("Cristian Radu", "cristian.radu", "Technical Director", "+40 256 433 902")],
        "Integration projects in the region; Serbian and Hungarian partners",
        [
            _offer(
                "service",
                "SAP connectors and ERP integration",
                "Ready connectors for SAP Business One, SAP S/4HANA and Dynamics 365: "
                "e-commerce (WooCommerce, Magento, Shopify), WMS, e-invoicing (RO e-Factura, "
                "SEF Serbia), bank statements. Typical project 6-12 weeks.",
                ["SAP", "ERP integration", "connectors", "e-invoicing", "Dynamics 365"],
            ),
            _request(
                "partnership",
                "Partner in Serbia for SEF e-invoicing projects",
                "Searching a Serbian partner to do local support for our e-invoicing connector.",
                ["Serbia", "e-invoicing", "local support"],
            ),
        ],
    ),
    _org(
        "Banat Automotive Embedded",
        "RO",
        "Timișoara",
        "sme",
        "50-249",
        "banat-automotive",
        "Engineering services for automotive tier-1 suppliers: AUTOSAR basic software, "
        "diagnostics and testing on HIL benches.",
        [S_AUTO],
        [_p("Florin Stan", "florin.stan", "Engineering Manager", "+40 256 201 778")],
        "Subcontractors with AUTOSAR and functional safety know-how",
        [
            _offer(
                "service",
                "AUTOSAR Classic integration and HIL testing",
                "Configuration of AUTOSAR Classic stacks, UDS diagnostics, HIL test "
                "automation with dSPACE and Vector tools.",
                ["AUTOSAR", "HIL", "diagnostics", "automotive", "embedded"],
            ),
            _request(
                "service",
                "Embedded C engineers - subcontracting",
                "Need 4-6 embedded C engineers (AUTOSAR, ISO 26262 experience) for a "
                "tier-1 project starting Q3 2027.",
                ["embedded C", "AUTOSAR", "ISO 26262", "subcontracting"],
            ),
        ],
    ),
    _org(
        "Argeș Components",
        "RO",
        "Pitești",
        "large_company",
        "250+",
        "arges-components",
        "Manufacturer of plastic and metal components for the automotive industry, 1,300 "
        "employees in two plants.",
        [S_AUTO, S_AI, S_CLOUD],
        [
            _p("Daniela Neagu", "daniela.neagu", "Industry 4.0 Program Manager", "+40 248 611 240"),
        ],
        "Computer vision quality inspection, MES-ERP integration, private 5G",
        [
            _request(
                "technology",
                "Automated visual defect detection on production line",
                "We want cameras + AI to detect scratches, flash and short shots on "
                "injection moulded parts (6 lines, 3 shifts). Today inspection is manual. "
                "Pilot budget available in 2027.",
                [
                    "computer vision",
                    "quality inspection",
                    "defect detection",
                    "AI",
                    "manufacturing",
                ],
            ),
            _request(
                "service",
                "MES to SAP integration",
                "Connect our MES with SAP S/4HANA for production orders and scrap reporting.",
                ["MES", "SAP", "ERP integration", "manufacturing"],
            ),
            _request(
                "technology",
                "Private 5G network for the plant",
                "Studying private 5G/LTE for AGVs and wireless sensors in plant 2.",
                ["private 5G", "AGV", "industrial IoT"],
            ),
        ],
        unavailable=[(DAY1, "14:00", "17:30")],
    ),
    _org(
        "Carpathia Ventures",
        "RO",
        "Bucharest",
        "other",
        "1-9",
        "carpathia-vc",
        "Seed and Series A venture fund (EUR 60M) investing in B2B software in Central and "
        "South-East Europe.",
        [S_FIN, S_SOFT],
        [_p("Vlad Munteanu", "vlad.munteanu", "Partner", "+40 21 310 4488")],
        "B2B SaaS startups raising EUR 0.5-3M",
        [
            _offer(
                "investment",
                "Seed tickets EUR 300k-1.5M",
                "We lead seed and Series A rounds in B2B SaaS, fintech and vertical AI from "
                "Romania, Bulgaria, the Western Balkans, Moldova and Ukraine.",
                ["venture capital", "seed", "Series A", "SaaS", "investment"],
            ),
            _request(
                "partnership",
                "Co-investors from Greece and Türkiye",
                "Looking for co-investing funds and angels networks.",
                ["co-investment", "angels", "VC"],
            ),
        ],
        unavailable=[(DAY2, "11:15", "13:00")],
    ),
    _org(
        "Dobrogea Freight Systems",
        "RO",
        "Constanța",
        "company",
        "50-249",
        "dobrogea-freight",
        "Road and intermodal freight company, 210 trucks, operating between Constanța port, "
        "Central Europe and Türkiye.",
        [S_LOG],
        [_p("Gabriel Sandu", "gabriel.sandu", "IT & Operations Manager", "+40 241 555 019")],
        "Route optimisation, fleet telematics, ERP integration",
        [
            _request(
                "product",
                "Route optimization software for trucks",
                "Current planning is in Excel. We want software for route planning and "
                "optimisation of 210 trucks, with driver app and integration with our "
                "telematics boxes and accounting.",
                ["route optimisation", "fleet management", "transport planning", "telematics"],
            ),
            _request(
                "service",
                "ERP connection to transport platform",
                "Our accounting ERP must exchange orders and invoices with the new "
                "transport planning platform.",
                ["ERP integration", "transport", "API"],
            ),
        ],
    ),
    _org(
        "MedLink Craiova",
        "RO",
        "Craiova",
        "sme",
        "10-49",
        "medlink-craiova",
        "Operator of private clinics and a telemedicine service in South-West Romania.",
        [S_HEALTH],
        [_p("Dr. Ioana Stanciu", "ioana.stanciu", "Medical Director", "+40 251 419 330")],
        "Interoperable lab and telemedicine software",
        [
            _request(
                "product",
                "Lab software connected to clinics",
                "We need a lab information system that exchanges results with our clinics "
                "and with the national health card system (HL7/FHIR).",
                ["laboratory", "LIS", "HL7", "FHIR", "integration"],
            ),
            _request(
                "technology",
                "Remote monitoring for chronic patients",
                "Searching partners for remote monitoring of diabetic and cardiac patients "
                "(devices + platform).",
                ["remote patient monitoring", "telemedicine", "wearables"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Greece (GR)
    _org(
        "Hellenic Digital Innovation Cluster",
        "GR",
        "Thessaloniki",
        "cluster",
        "10-49",
        "hellenic-dic",
        "Cluster of 75 Greek ICT SMEs and research labs in Northern Greece, member of the BBS "
        "network.",
        [S_SOFT, S_RDI],
        [_p("Eleni Papadopoulou", "eleni.papadopoulou", "Cluster Manager", "+30 2310 498 210")],
        "Cluster partners for Balkan cooperation projects",
        [
            _offer(
                "partnership",
                "Greek SMEs for your project",
                "Introductions to Greek software SMEs in AI, health IT and tourism tech.",
                ["cluster", "Greece", "SMEs"],
            ),
            _request(
                "rd_cooperation",
                "Interreg IPA partners",
                "Partners from North Macedonia and Albania for an Interreg IPA project on "
                "digital skills for tourism SMEs.",
                ["Interreg IPA", "tourism", "digital skills"],
            ),
        ],
    ),
    _org(
        "Aegean Code Works",
        "GR",
        "Athens",
        "sme",
        "10-49",
        "aegeancode",
        "Custom software and mobile apps for Greek retailers and shipping companies.",
        [S_SOFT, S_ERP],
        [_p("Nikos Karagiannis", "nikos.karagiannis", "CEO", "+30 210 674 5521")],
        "QA subcontractors and ERP partners",
        [
            _offer(
                "service",
                "Retail apps and loyalty platforms",
                "Loyalty apps, click & collect and POS integration for retail chains.",
                ["retail", "loyalty", "mobile app", "POS"],
            ),
            _request(
                "service",
                "Subcontractor for manual and automated QA",
                "We are looking for a QA team (3-4 testers) for regression testing of "
                "mobile apps. Long term.",
                ["QA", "testing", "test automation", "subcontracting"],
            ),
            _request(
                "service",
                "Business software integration",
                "Our retail clients use SoftOne and SAP B1; we need a partner for the ERP "
                "side of integrations.",
                ["ERP", "SAP Business One", "integration", "retail"],
            ),
        ],
    ),
    _org(
        "Thessaloniki Institute of Informatics and Robotics",
        "GR",
        "Thessaloniki",
        "research_organisation",
        "50-249",
        "tiir",
        "Research institute in AI, robotics and smart agriculture, coordinator of 9 EU projects.",
        [S_AI, S_AGRI, S_RDI],
        [_p("Dr. Dimitris Alexiou", "dimitris.alexiou", "Senior Researcher", "+30 2310 464 160")],
        "Pilot farms and SMEs for Horizon Europe proposals",
        [
            _request(
                "rd_cooperation",
                "Εταίροι για πρόταση Horizon Europe - έξυπνη γεωργία",
                "Αναζητούμε εταίρους για κοινοπραξία Horizon Europe στον τομέα της έξυπνης "
                "γεωργίας: αγροτικούς συνεταιρισμούς ως πιλοτικές περιοχές και ΜμΕ με "
                "αισθητήρες IoT. Looking for farm cooperatives (pilots) and IoT SMEs.",
                ["Horizon Europe", "smart farming", "IoT", "pilot", "consortium"],
            ),
            _offer(
                "technology",
                "Crop disease detection with drones and AI",
                "Deep learning models for early detection of crop diseases from drone and "
                "satellite images; validated on vineyards, olives and tomatoes.",
                ["computer vision", "drones", "crop disease", "deep learning"],
            ),
        ],
    ),
    _org(
        "Achaia Technical University",
        "GR",
        "Patras",
        "university",
        "250+",
        "achaia-tu",
        "Technical university with schools of electrical engineering, computer engineering and "
        "mechanical engineering.",
        [S_RDI, S_ENERGY, S_CLOUD],
        [
            _p(
                "Prof. Georgios Nikolaou",
                "georgios.nikolaou",
                "Head of Smart Grids Lab",
                "+30 2610 997 301",
            )
        ],
        "Utilities and SMEs for smart grid pilots",
        [
            _offer(
                "rd_cooperation",
                "Smart grid lab and digital twin of the distribution grid",
                "Real-time simulation, grid digital twin, demand response studies.",
                ["smart grid", "digital twin", "demand response", "energy"],
            ),
            _request(
                "partnership",
                "Pilot sites for energy communities",
                "Municipalities or cooperatives who want to pilot an energy community platform.",
                ["energy communities", "pilot", "renewables"],
            ),
        ],
        unavailable=[(DAY2, "11:15", "13:00")],
    ),
    _org(
        "AgroSense Hellas",
        "GR",
        "Larissa",
        "sme",
        "10-49",
        "agrosense",
        "Agritech company offering irrigation advisory and weather stations for Thessaly farmers.",
        [S_AGRI],
        [_p("Maria Tsakiri", "maria.tsakiri", "Agronomist & Co-founder", "+30 2410 535 802")],
        "Distributors in the Balkans",
        [
            _offer(
                "product",
                "Smart irrigation advisory",
                "Weather stations + evapotranspiration model tell the farmer when and how "
                "much to irrigate. Saves 20-30% water.",
                ["irrigation", "weather station", "water saving", "agronomy"],
            ),
            _request(
                "partnership",
                "Distributors for Bulgaria and Romania",
                "Agricultural input dealers who want to add digital services.",
                ["distribution", "agri dealers", "Balkans"],
            ),
        ],
    ),
    _org(
        "Olympos Travel Tech",
        "GR",
        "Heraklion",
        "sme",
        "10-49",
        "olympos-travel",
        "Booking engine and channel manager for independent hotels and villas in Greece and "
        "Cyprus.",
        [S_TOUR],
        [_p("Kostas Manolakis", "kostas.manolakis", "Founder", "+30 2810 342 117")],
        "Hotel clients in Croatia, Montenegro, Albania; accounting integration",
        [
            _offer(
                "product",
                "Channel manager and booking engine for small hotels",
                "Sync availability with Booking, Expedia and Airbnb, commission-free direct "
                "booking engine, multilingual. From EUR 29/month.",
                ["channel manager", "booking engine", "hotels", "vacation rentals"],
            ),
            _request(
                "service",
                "Integration with hotel accounting / ERP",
                "Need connectors from our booking engine to accounting software used by "
                "hotels in the Balkans.",
                ["accounting", "ERP", "integration", "hotels"],
            ),
        ],
    ),
    _org(
        "Kyma Energy Analytics",
        "GR",
        "Athens",
        "sme",
        "10-49",
        "kyma-energy",
        "Forecasting software for renewable producers and energy traders.",
        [S_ENERGY, S_AI],
        [_p("Ioannis Vlachos", "ioannis.vlachos", "Head of Sales", "+30 210 322 9045")],
        "Utilities and traders in SEE markets",
        [
            _offer(
                "product",
                "Solar and wind production forecasting",
                "Machine-learning forecasts (15 min to 10 days) for PV and wind parks, "
                "used for balancing and trading.",
                ["forecasting", "renewables", "machine learning", "energy trading"],
            ),
            _request(
                "partnership",
                "Partners with access to grid operators",
                "Looking for partners in Serbia, BiH and Romania to reach DSOs and traders.",
                ["DSO", "energy trading", "partnership"],
            ),
        ],
    ),
    _org(
        "Central Macedonia Digital Transformation Office",
        "GR",
        "Thessaloniki",
        "public_body",
        "10-49",
        "cm-digital",
        "Regional authority office for digital services, broadband and smart region projects.",
        [S_GOV, S_CITY],
        [_p("Sofia Georgiadou", "sofia.georgiadou", "Head of Unit", "+30 2310 409 760")],
        "Solutions for e-services and GIS",
        [
            _request(
                "product",
                "GIS platform for regional infrastructure",
                "Web GIS for roads, water networks and permits, integrated with our "
                "document management.",
                ["GIS", "web GIS", "infrastructure", "e-government"],
            ),
            _offer(
                "expertise",
                "Sharing experience with RRF digital projects",
                "Lessons learned from Recovery and Resilience Facility digital projects.",
                ["RRF", "e-government", "procurement"],
            ),
        ],
        unavailable=[(DAY1, "09:30", "12:30")],
    ),
    # ----------------------------------------------------------------------- Serbia (RS)
    _org(
        "Novi Sad Digital Cluster",
        "RS",
        "Novi Sad",
        "cluster",
        "10-49",
        "nsdigital",
        "Association of 65 software and hardware companies from Vojvodina, member of the BBS "
        "network.",
        [S_SOFT, S_AGRI, S_RDI],
        [_p("Jelena Marković", "jelena.markovic", "Executive Director", "+381 21 661 4420")],
        "EU projects and cluster partnerships",
        [
            _offer(
                "partnership",
                "Vojvodina agritech ecosystem",
                "Our members include 12 agritech and IoT companies; we organise field "
                "demos and study visits.",
                ["agritech", "study visit", "cluster", "IoT"],
            ),
            _request(
                "rd_cooperation",
                "Partners for Digital Europe project",
                "Clusters and EDIHs wanted for a Digital Europe project on digitalisation "
                "of agri-food SMEs.",
                ["Digital Europe", "EDIH", "agriculture", "SME digitalisation"],
            ),
        ],
    ),
    _org(
        "FieldNode IoT",
        "RS",
        "Novi Sad",
        "sme",
        "10-49",
        "fieldnode",
        "IoT company designing and producing wireless sensors and gateways for agriculture and "
        "water utilities.",
        [S_AGRI, S_CLOUD],
        [_p("Marko Jovanović", "marko.jovanovic", "CEO", "+381 21 472 3307")],
        "Farm cooperatives, agritech software partners, distributors",
        [
            _offer(
                "technology",
                "LoRaWAN sensor networks for precision agriculture",
                "We design and install LoRaWAN networks with soil moisture, soil "
                "temperature, leaf wetness and weather sensors. One gateway covers up to "
                "10 km in open fields, battery life 5+ years. Open API and our own web "
                "dashboard with alerts, or integration into your farm software. 300+ "
                "installations in Serbia and Hungary.",
                [
                    "LoRaWAN",
                    "soil moisture",
                    "sensors",
                    "precision agriculture",
                    "dashboard",
                    "IoT",
                ],
            ),
            _request(
                "partnership",
                "Distributors in Romania and Bulgaria",
                "We look for distributors or system integrators for agri IoT.",
                ["distribution", "Romania", "Bulgaria", "agri IoT"],
            ),
        ],
    ),
    _org(
        "Niš Softver Studio",
        "RS",
        "Niš",
        "sme",
        "10-49",
        "nis-softver",
        "Software development studio with 30 developers in Niš.",
        [S_SOFT],
        [_p("Nemanja Stojanović", "nemanja.stojanovic", "Direktor", "+381 18 415 208")],
        "Outsourcing klijenti",
        [
            _offer(
                "service",
                "Razvoj softvera po meri",
                "Nudimo razvoj softvera po meri za male i srednje firme, sa timom od 25 "
                "programera u Nišu (PHP/Laravel, React, Flutter). Cene su konkurentne, "
                "radimo na engleskom.",
                ["softver", "outsourcing", "Laravel", "Flutter", "custom software"],
            ),
            _offer(
                "service",
                "Mobile apps Flutter",
                "Android + iOS with one codebase.",
                ["Flutter", "mobile app"],
            ),
        ],
    ),
    _org(
        "Sava Fintech Labs",
        "RS",
        "Belgrade",
        "sme",
        "10-49",
        "savafintech",
        "Fintech startup: instant payments and QR-code payments for merchants in Serbia and "
        "Montenegro.",
        [S_FIN],
        [_p("Milica Petrović", "milica.petrovic", "CEO & Co-founder", "+381 11 405 7720")],
        "Seed investors; banks as partners",
        [
            _offer(
                "product",
                "QR instant payments for small merchants",
                "Merchants accept instant payments with a QR code; no card terminal needed.",
                ["instant payments", "QR payments", "merchants", "fintech"],
            ),
            _request(
                "investment",
                "We are raising seed EUR 1.5M",
                "Seed round to expand in the Western Balkans. 4,000 merchants active, "
                "break-even planned in 2028.",
                ["seed round", "investment", "Western Balkans", "fintech"],
            ),
            _request(
                "expertise",
                "Compliance help for PSD2 licence",
                "Need consultant for payment institution licence and security requirements.",
                ["PSD2", "compliance", "licence", "security"],
            ),
        ],
    ),
    _org(
        "Institute for Artificial Vision Belgrade",
        "RS",
        "Belgrade",
        "research_organisation",
        "10-49",
        "iav-belgrade",
        "Spin-off research institute in computer vision and edge AI.",
        [S_AI, S_RDI],
        [_p("Dr. Stefan Ilić", "stefan.ilic", "Director", "+381 11 326 9014")],
        "Industrial partners and co-funded research",
        [
            _offer(
                "technology",
                "Visual quality inspection with deep learning",
                "Camera systems and AI models that find surface defects on plastic, metal "
                "and textile parts at line speed. We train on few samples, deploy on edge "
                "devices.",
                [
                    "computer vision",
                    "visual inspection",
                    "quality control",
                    "edge AI",
                    "deep learning",
                ],
            ),
            _offer(
                "rd_cooperation",
                "Partner for EU projects in AI",
                "Research partner for Horizon Europe in computer vision.",
                ["Horizon Europe", "computer vision", "research"],
            ),
        ],
    ),
    _org(
        "Kragujevac Automotive Software",
        "RS",
        "Kragujevac",
        "sme",
        "50-249",
        "kg-autosoft",
        "Embedded software for automotive and industrial machines, 90 engineers.",
        [S_AUTO],
        [_p("Dragan Nikolić", "dragan.nikolic", "Business Development", "+381 34 302 119")],
        "Tier-1 projects and subcontracting",
        [
            _offer(
                "service",
                "Embedded software engineering, AUTOSAR, ISO 26262",
                "Teams of embedded C/C++ engineers for ECUs: AUTOSAR Classic, bootloaders, "
                "functional safety (ISO 26262 ASIL B-D) and cyber security (ISO 21434).",
                ["embedded C", "AUTOSAR", "ISO 26262", "functional safety", "automotive"],
            ),
            _request(
                "technology",
                "HIL test benches",
                "Want to rent or share HIL test benches.",
                ["HIL", "testing"],
            ),
        ],
    ),
    _org(
        "Balkan Telco Solutions",
        "RS",
        "Belgrade",
        "large_company",
        "250+",
        "balkantelco",
        "Telecom operator's business services arm: data centres, cloud, 5G and IoT connectivity.",
        [S_CLOUD, S_CITY],
        [_p("Ana Đorđević", "ana.djordjevic", "Head of Enterprise Solutions", "+381 11 302 5500")],
        "Industrial clients for private 5G; smart city integrators",
        [
            _offer(
                "service",
                "Private 5G networks and edge cloud for industry",
                "Design and operation of private 5G campus networks for factories, ports "
                "and logistics centres, with edge computing in our Tier III data centre.",
                ["private 5G", "edge computing", "campus network", "industrial IoT"],
            ),
            _offer(
                "service",
                "Colocation and sovereign cloud",
                "Tier III data centres in Belgrade and Niš.",
                ["data centre", "colocation", "cloud"],
            ),
            _request(
                "partnership",
                "IoT application partners",
                "App developers for smart metering and smart parking on our NB-IoT network.",
                ["NB-IoT", "smart parking", "smart metering"],
            ),
        ],
    ),
    _org(
        "GameHive Belgrade",
        "RS",
        "Belgrade",
        "sme",
        "50-249",
        "gamehive",
        "Co-development and art outsourcing studio for games: 3D art, animation, porting.",
        [S_GAMES],
        [_p("Luka Popović", "luka.popovic", "Studio Director", "+381 11 407 2261")],
        "Co-development projects",
        [
            _offer(
                "service",
                "Game art outsourcing and co-development",
                "3D environments, characters, animation and UI for PC, console and mobile. "
                "Worked on 30+ titles. Also porting (Unity, Unreal) to consoles.",
                ["game art", "3D art", "co-development", "porting", "Unity", "Unreal"],
            ),
        ],
    ),
    # ------------------------------------------------------------------ North Macedonia (MK)
    _org(
        "Skopje ICT Cluster",
        "MK",
        "Skopje",
        "cluster",
        "1-9",
        "skopje-ict",
        "Cluster of 50 Macedonian ICT companies, member of the BBS network.",
        [S_SOFT, S_RDI],
        [_p("Bojana Trajkovska", "bojana.trajkovska", "Cluster Coordinator", "+389 2 3215 440")],
        "Partners for EU projects",
        [
            _offer(
                "partnership",
                "Macedonian software companies",
                "Intro to our members, many offering outsourcing at good rates.",
                ["outsourcing", "North Macedonia", "cluster"],
            ),
            _request(
                "rd_cooperation",
                "Partners for Interreg IPA Greece-North Macedonia",
                "Greek partners for cross-border project on digital tourism.",
                ["Interreg IPA", "tourism", "cross-border"],
            ),
        ],
    ),
    _org(
        "Vardar Soft",
        "MK",
        "Skopje",
        "sme",
        "10-49",
        "vardarsoft",
        "Web and mobile development company working on e-commerce and e-government portals.",
        [S_SOFT, S_GOV],
        [
            _p(
                "Aleksandar Stojanovski",
                "aleksandar.stojanovski",
                "Managing Director",
                "+389 70 312 845",
            )
        ],
        "Clients in EU and partner companies",
        [
            _offer(
                "service",
                "Развој на веб и мобилни апликации",
                "Нудиме развој на веб и мобилни апликации за е-трговија и јавна "
                "администрација. We develop web and mobile apps for e-commerce and public "
                "administration.",
                ["web development", "mobile apps", "e-commerce", "e-government"],
            ),
            _request(
                "partnership",
                "Looking for EU clients",
                "We are searching partner for long-term outsourcing cooperation, "
                "preferably from Germany or Scandinavia through regional companies.",
                ["outsourcing", "partnership", "clients"],
            ),
        ],
    ),
    _org(
        "Ohrid Lake Tourism Tech",
        "MK",
        "Ohrid",
        "sme",
        "1-9",
        "ohrid-tourtech",
        "Small startup with a mobile guide and ticketing app for cultural sites around Lake Ohrid.",
        [S_TOUR],
        [_p("Elena Naumovska", "elena.naumovska", "Founder", "+389 75 220 631")],
        "Tourism partners and investment",
        [
            _offer(
                "product",
                "Mobile guide and e-tickets for museums",
                "Audio guide + e-ticketing app for museums and heritage sites.",
                ["audio guide", "e-ticketing", "museums", "cultural heritage"],
            ),
            _request(
                "investment",
                "Pre-seed EUR 200k",
                "Pre-seed investment to expand to Albania and Greece.",
                ["pre-seed", "investment", "tourism"],
            ),
        ],
    ),
    _org(
        "Pelister EdTech",
        "MK",
        "Bitola",
        "sme",
        "10-49",
        "pelister-edtech",
        "E-learning company producing a learning management system and digital courses for "
        "schools and companies.",
        [S_EDU],
        [_p("Ivana Petreska", "ivana.petreska", "Head of Product", "+389 47 203 914")],
        "Universities and training providers as clients",
        [
            _offer(
                "product",
                "LMS with course authoring for universities",
                "Multilingual LMS (Moodle compatible) with course authoring, proctoring of "
                "online exams and SCORM support. Hosted in the EU.",
                ["LMS", "e-learning", "online exams", "SCORM", "Moodle"],
            ),
            _offer(
                "service",
                "Digital course production",
                "We produce video courses from your content.",
                ["course production", "video", "e-learning"],
            ),
            _request(
                "partnership",
                "Resellers in Albania and Kosovo",
                "Training companies that want to resell our LMS.",
                ["reseller", "Albania", "Kosovo"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Albania (AL)
    _org(
        "Tirana Tech Cluster",
        "AL",
        "Tirana",
        "cluster",
        "1-9",
        "tirana-tech",
        "Young cluster of Albanian ICT companies and startups, member of the BBS network.",
        [S_SOFT, S_RDI],
        [_p("Arben Hoxha", "arben.hoxha", "Director", "+355 4 2234 910")],
        "Capacity building, EU project experience",
        [
            _request(
                "expertise",
                "Mentoring for first Horizon Europe proposal",
                "Our members want to join EU consortia for the first time; we look for "
                "experienced coordinators to mentor them.",
                ["Horizon Europe", "mentoring", "capacity building"],
            ),
            _offer(
                "partnership",
                "Albanian partner for Western Balkans projects",
                "Local partner for events, dissemination and SME outreach.",
                ["dissemination", "Albania", "Western Balkans"],
            ),
        ],
    ),
    _org(
        "Shqiponja Software",
        "AL",
        "Tirana",
        "sme",
        "50-249",
        "shqiponja",
        "Software outsourcing company with 70 developers, Italian and English speaking.",
        [S_SOFT, S_ERP],
        [_p("Erion Shehu", "erion.shehu", "CEO", "+355 69 204 3318")],
        "Italian and German clients, partner companies",
        [
            _offer(
                "service",
                "Zhvillim softueri dhe outsourcing",
                "Ofrojmë shërbime zhvillimi softueri dhe outsourcing me kosto konkurruese "
                "nga Tirana. Italian-speaking teams for Java, Angular and Odoo ERP.",
                ["outsourcing", "Italian", "Java", "Odoo", "ERP"],
            ),
            _offer(
                "service",
                "Odoo ERP implementation",
                "Odoo implementation and customisation for SMEs.",
                ["Odoo", "ERP", "implementation"],
            ),
            _request(
                "partnership",
                "Subcontracting from Greek companies",
                "We are open for subcontracting from Greek IT companies.",
                ["subcontracting", "Greece"],
            ),
        ],
    ),
    _org(
        "Adriatik Logistics IT",
        "AL",
        "Durrës",
        "sme",
        "10-49",
        "adriatik-logistics",
        "Freight forwarder and logistics software user at the port of Durrës.",
        [S_LOG],
        [_p("Klodiana Meta", "klodiana.meta", "Operations Director", "+355 52 223 670")],
        "Port community system, customs digitalisation",
        [
            _request(
                "product",
                "Software for freight forwarding and port operations",
                "Need software for container tracking, customs declarations and "
                "communication with the port of Durrës and shipping lines.",
                ["freight forwarding", "container tracking", "port", "customs"],
            ),
            _request(
                "technology",
                "Fleet tracking for 40 trucks",
                "GPS tracking and route planning.",
                ["GPS tracking", "fleet", "route planning"],
            ),
        ],
    ),
    _org(
        "Tirana Municipality Innovation Office",
        "AL",
        "Tirana",
        "public_body",
        "10-49",
        "tirana-innovation",
        "Municipal office for digital services, e-permits and citizen engagement.",
        [S_GOV, S_CITY],
        [_p("Ardita Kola", "ardita.kola", "Head of Innovation", "+355 4 2256 118")],
        "E-services, citizen apps, cloud hosting",
        [
            _request(
                "service",
                "Citizen e-services portal",
                "Platform for online permits and payments for municipal services, with "
                "mobile app and integration with the national e-Albania portal.",
                ["e-services", "e-government", "permits", "online payments"],
            ),
            _request(
                "service",
                "Move legacy systems to the cloud",
                "Migration of 12 legacy municipal applications to cloud.",
                ["cloud migration", "legacy", "public sector"],
            ),
        ],
        unavailable=[(DAY2, "09:30", "13:00")],
    ),
    # ----------------------------------------------------------- Bosnia and Herzegovina (BA)
    _org(
        "Bosna Digital Cluster",
        "BA",
        "Sarajevo",
        "cluster",
        "1-9",
        "bosna-digital",
        "Cluster of software companies in Sarajevo Canton and Zenica, member of the BBS network.",
        [S_SOFT, S_RDI],
        [_p("Amra Hadžić", "amra.hadzic", "Cluster Manager", "+387 33 219 550")],
        "Cluster cooperation, skills programmes",
        [
            _offer(
                "partnership",
                "Partner for skills and bootcamp projects",
                "We run coding bootcamps with companies, looking for scale-up partners.",
                ["bootcamp", "skills", "cluster"],
            ),
            _request(
                "rd_cooperation",
                "EDIH cooperation",
                "Want to learn from EDIHs in EU member states how to build test-before-"
                "invest services.",
                ["EDIH", "test before invest", "cooperation"],
            ),
        ],
    ),
    _org(
        "Miljacka Code",
        "BA",
        "Sarajevo",
        "sme",
        "10-49",
        "miljacka-code",
        "Software company building e-government and document management solutions.",
        [S_GOV, S_SOFT],
        [_p("Emir Kovačević", "emir.kovacevic", "CTO", "+387 61 402 995")],
        "Public sector projects in the region",
        [
            _offer(
                "product",
                "E-services platform for municipalities",
                "Online applications, e-payment, digital signature and back-office "
                "workflow for municipalities; running in 9 municipalities in BiH.",
                ["e-services", "municipality", "digital signature", "e-government", "workflow"],
            ),
            _offer(
                "product", "Document management system", "DMS with e-archive.", ["DMS", "e-archive"]
            ),
        ],
    ),
    _org(
        "Vrbas Systems",
        "BA",
        "Banja Luka",
        "sme",
        "10-49",
        "vrbas-systems",
        "Business software integrator: ERP, CRM and BI for manufacturing and retail.",
        [S_ERP],
        [_p("Nikola Savić", "nikola.savic", "Sales Manager", "+387 51 228 404")],
        "Clients and ERP partners",
        [
            _offer(
                "service",
                "ERP/CRM implementation and integration",
                "Implementation of Microsoft Dynamics and Odoo, CRM, BI dashboards, "
                "integration with webshops and fiscal devices.",
                ["ERP", "CRM", "business intelligence", "Dynamics", "integration"],
            ),
            _request(
                "partnership",
                "Partners for Slovenian and Croatian clients",
                "We look for partners who need ERP capacity.",
                ["ERP", "capacity", "partnership"],
            ),
        ],
    ),
    _org(
        "Tuzla Energy Informatics",
        "BA",
        "Tuzla",
        "company",
        "50-249",
        "tuzla-energy",
        "IT company serving electricity distribution and heating utilities: metering, billing "
        "and SCADA integration.",
        [S_ENERGY],
        [_p("Mirza Begić", "mirza.begic", "Director", "+387 35 300 417")],
        "Forecasting and smart meter analytics partners",
        [
            _offer(
                "service",
                "Billing and metering systems for utilities",
                "Meter data management and billing for district heating and electricity.",
                ["billing", "metering", "utilities", "MDM"],
            ),
            _request(
                "technology",
                "Load and renewable forecasting module",
                "Our clients ask for load forecasting and PV production forecasting; we "
                "look for a technology partner to integrate.",
                ["forecasting", "load forecasting", "PV", "integration"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Montenegro (ME)
    _org(
        "Podgorica Digital Hub",
        "ME",
        "Podgorica",
        "cluster",
        "1-9",
        "pg-digitalhub",
        "Montenegrin ICT cluster and coworking hub, member of the BBS network.",
        [S_SOFT, S_RDI],
        [_p("Milena Vuković", "milena.vukovic", "Programme Manager", "+382 20 234 570")],
        "Cooperation with bigger clusters",
        [
            _request(
                "partnership",
                "Twinning with an experienced cluster",
                "We want to twin with an experienced EU cluster (study visit, joint services).",
                ["twinning", "cluster", "study visit"],
            ),
        ],
    ),
    _org(
        "Boka Bay Tourism Systems",
        "ME",
        "Kotor",
        "sme",
        "10-49",
        "bokabay",
        "Software for marinas and yacht charters on the Adriatic.",
        [S_TOUR, S_LOG],
        [_p("Petar Radulović", "petar.radulovic", "CEO", "+382 32 325 118")],
        "Marinas and charter companies in Croatia and Greece",
        [
            _offer(
                "product",
                "Marina management and berth booking",
                "Berth booking, invoicing and access control for marinas.",
                ["marina", "berth booking", "nautical tourism"],
            ),
            _request(
                "partnership",
                "Booking engine integration",
                "Partner with a hotel booking engine to offer combined boat + "
                "accommodation packages.",
                ["booking engine", "integration", "tourism packages"],
            ),
        ],
    ),
    _org(
        "Lovćen Cyber",
        "ME",
        "Podgorica",
        "sme",
        "1-9",
        "lovcen-cyber",
        "Information security consultancy: ISO 27001, NIS2 readiness and awareness training.",
        [S_SEC],
        [_p("Vuk Perović", "vuk.perovic", "Lead Consultant", "+382 67 301 228")],
        "Public sector and bank clients",
        [
            _offer(
                "service",
                "Infosec audits, ISO 27001, NIS2 and DORA readiness",
                "Gap analysis, policies, risk assessment and staff phishing simulations "
                "for municipalities, banks and hospitals.",
                ["ISO 27001", "NIS2", "DORA", "infosec", "awareness training"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Croatia (HR)
    _org(
        "Adriatic Fintech",
        "HR",
        "Zagreb",
        "sme",
        "10-49",
        "adriatic-fintech",
        "KYC and digital onboarding solutions for banks and payment institutions.",
        [S_FIN, S_SEC],
        [_p("Ivana Horvat", "ivana.horvat", "Head of Sales", "+385 1 4839 220")],
        "Banks and fintechs in SEE",
        [
            _offer(
                "product",
                "Digital onboarding and video KYC",
                "Remote identification with ID document scan, liveness check and AML "
                "screening; approved by regulators in Croatia and Slovenia.",
                ["KYC", "digital onboarding", "AML", "video identification"],
            ),
            _request(
                "partnership",
                "Bank IT partners in Bulgaria and Serbia",
                "We need local integration partners.",
                ["integration", "banks", "Bulgaria", "Serbia"],
            ),
        ],
    ),
    _org(
        "Dalmacija Stay Agency",
        "HR",
        "Split",
        "company",
        "1-9",
        "dalmacija-stay",
        "Agency for private accommodation in Dalmatia managing 350 apartments.",
        [S_TOUR],
        [_p("Ante Matić", "ante.matic", "Vlasnik", "+385 21 344 560")],
        "Software for apartments",
        [
            _request(
                "product",
                "Aplikacija za apartmane",
                "Tražimo partnera za razvoj aplikacije za turističke apartmane i "
                "rezervacije, povezanu s Booking i Airbnb kalendarima.",
                ["apartments", "booking", "channel manager", "vacation rentals"],
            ),
            _request(
                "technology",
                "Smart locks and self check-in",
                "Self check-in for guests.",
                ["smart lock", "self check-in"],
            ),
        ],
    ),
    _org(
        "Slavonija AgriTech",
        "HR",
        "Osijek",
        "company",
        "50-249",
        "slavonija-agri",
        "Agricultural producer and processor (cereals, soybean, fruit) with 4,000 ha.",
        [S_AGRI],
        [_p("Tomislav Babić", "tomislav.babic", "Head of Agronomy", "+385 31 250 716")],
        "Precision farming technology",
        [
            _request(
                "technology",
                "IoT for orchards - frost alarm and irrigation",
                "Sensors in orchards for frost warning, leaf wetness and irrigation "
                "control, with alarms on mobile.",
                ["IoT", "frost alarm", "orchards", "irrigation", "sensors"],
            ),
            _request(
                "technology",
                "Drone crop scouting",
                "Disease detection from drone flights.",
                ["drones", "crop disease", "scouting"],
            ),
        ],
    ),
    _org(
        "Kvarner Maritime Software",
        "HR",
        "Rijeka",
        "sme",
        "10-49",
        "kvarner-maritime",
        "Software for ship management: crew, maintenance and compliance.",
        [S_LOG, S_SOFT],
        [_p("Marin Knežević", "marin.knezevic", "Product Owner", "+385 51 213 940")],
        "Shipowners in Greece, Cyprus and Türkiye",
        [
            _offer(
                "product",
                "Planned maintenance system for ships",
                "PMS and crew management, works offline on board.",
                ["ship management", "maintenance", "maritime"],
            ),
            _request(
                "service",
                "Cybersecurity for vessels (IMO requirements)",
                "Partner for OT/IT cyber risk assessments on ships.",
                ["maritime cyber", "OT security", "IMO"],
            ),
        ],
    ),
    _org(
        "Zagreb Digital Innovation Hub",
        "HR",
        "Zagreb",
        "cluster",
        "10-49",
        "zagreb-dih",
        "European Digital Innovation Hub consortium coordinator for Continental Croatia.",
        [S_RDI, S_AI],
        [_p("Petra Jurić", "petra.juric", "EDIH Coordinator", "+385 1 5567 320")],
        "SMEs for test-before-invest, partner hubs",
        [
            _offer(
                "expertise",
                "EDIH test-before-invest services",
                "Subsidised AI and HPC test-before-invest, skills training and access to "
                "finance support for SMEs and public bodies; we also mentor new hubs in "
                "candidate countries.",
                ["EDIH", "test before invest", "AI", "HPC", "mentoring"],
            ),
            _request(
                "partnership",
                "Hub-to-hub cooperation",
                "Partner hubs in Serbia, BiH and Montenegro.",
                ["EDIH", "hub network"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Slovenia (SI)
    _org(
        "Ljubljana Institute for Intelligent Systems",
        "SI",
        "Ljubljana",
        "research_organisation",
        "50-249",
        "liis",
        "Research institute in machine learning, knowledge technologies and health data analytics.",
        [S_AI, S_HEALTH, S_RDI],
        [_p("Dr. Maja Kralj", "maja.kralj", "Head of Department", "+386 1 4773 210")],
        "Hospitals and SMEs for EU health data projects",
        [
            _offer(
                "rd_cooperation",
                "AI for health data - research partner",
                "Federated learning and explainable AI for clinical data; partner in 14 "
                "Horizon projects.",
                ["federated learning", "health data", "explainable AI", "Horizon Europe"],
            ),
            _request(
                "rd_cooperation",
                "Hospitals in Western Balkans for EU4Health pilot",
                "Hospitals and health IT SMEs for a pilot of AI decision support.",
                ["EU4Health", "hospital", "pilot", "decision support"],
            ),
        ],
    ),
    _org(
        "Drava Embedded",
        "SI",
        "Maribor",
        "sme",
        "50-249",
        "drava-embedded",
        "Embedded systems company for automotive and e-mobility: BMS, chargers, motor control.",
        [S_AUTO, S_ENERGY],
        [_p("Matej Novak", "matej.novak", "CEO", "+386 2 620 5530")],
        "Engineering capacity and OEM clients",
        [
            _offer(
                "technology",
                "Battery management systems and EV charger firmware",
                "BMS hardware and firmware, OCPP charger software, ISO 26262 processes.",
                ["BMS", "EV charging", "OCPP", "e-mobility", "embedded"],
            ),
            _request(
                "service",
                "Embedded developers from the region",
                "We need 3 embedded software engineers (C, RTOS) as subcontractors.",
                ["embedded C", "RTOS", "subcontracting"],
            ),
        ],
    ),
    _org(
        "Triglav Cloud",
        "SI",
        "Ljubljana",
        "sme",
        "10-49",
        "triglav-cloud",
        "Cloud consultancy: AWS and Azure migration, Kubernetes, FinOps.",
        [S_CLOUD],
        [_p("Luka Zupan", "luka.zupan", "Principal Cloud Architect", "+386 40 221 905")],
        "Public sector and mid-size companies moving to cloud",
        [
            _offer(
                "service",
                "Cloud migration (AWS, Azure) with fixed price assessment",
                "2-week assessment, landing zone, migration of legacy apps to cloud, "
                "Kubernetes and cost optimisation. Experience with public administration "
                "and sovereign-cloud requirements.",
                ["cloud migration", "AWS", "Azure", "Kubernetes", "FinOps"],
            ),
        ],
    ),
    _org(
        "Savinja Smart Energy",
        "SI",
        "Celje",
        "sme",
        "10-49",
        "savinja-energy",
        "Platform for energy communities and smart meter data analytics.",
        [S_ENERGY],
        [_p("Nina Kos", "nina.kos", "Co-founder", "+386 3 490 1170")],
        "Municipalities and cooperatives for energy communities",
        [
            _offer(
                "product",
                "Energy community platform",
                "Shares PV production among members, smart meter analytics, billing.",
                ["energy communities", "smart meter", "analytics", "PV"],
            ),
            _request(
                "partnership",
                "Partners in Greece and Croatia",
                "Local partners for energy communities.",
                ["energy communities", "Greece", "Croatia"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Moldova (MD)
    _org(
        "Codru Digital Cluster",
        "MD",
        "Chișinău",
        "cluster",
        "1-9",
        "codru-digital",
        "Moldovan ICT cluster of 40 companies, member of the BBS network.",
        [S_SOFT, S_RDI],
        [_p("Natalia Ciobanu", "natalia.ciobanu", "Director", "+373 22 845 160")],
        "Connections with Romanian and EU clusters",
        [
            _offer(
                "partnership",
                "Moldovan IT companies",
                "Moldovan IT companies speak Romanian, English and Russian; we connect "
                "you with them.",
                ["Moldova", "outsourcing", "cluster"],
            ),
            _request(
                "rd_cooperation",
                "Parteneri pentru proiecte Interreg NEXT",
                "Căutăm parteneri din România și Ucraina pentru proiecte Interreg NEXT "
                "Black Sea Basin în domeniul digitalizării IMM-urilor.",
                ["Interreg NEXT", "Black Sea", "SME digitalisation"],
            ),
        ],
    ),
    _org(
        "Nistru Soft",
        "MD",
        "Chișinău",
        "sme",
        "10-49",
        "nistrusoft",
        "Software company with blockchain and traceability products.",
        [S_SOFT, S_AGRI, S_LOG],
        [_p("Sergiu Rusu", "sergiu.rusu", "CEO", "+373 69 112 407")],
        "Agrifood exporters, partners in EU",
        [
            _offer(
                "technology",
                "Blockchain traceability for food exports",
                "Farm-to-shelf traceability (QR codes for consumers, documents for "
                "buyers), used by wine and fruit exporters.",
                ["blockchain", "traceability", "food", "export", "supply chain"],
            ),
            _offer(
                "service",
                "Outsourcing .NET and Angular",
                "Team of 20 developers.",
                ["outsourcing", ".NET", "Angular"],
            ),
        ],
    ),
    _org(
        "Bălți Agro Data",
        "MD",
        "Bălți",
        "sme",
        "1-9",
        "balti-agro",
        "Small company advising farmers in northern Moldova on digital tools.",
        [S_AGRI],
        [_p("Vasile Rotaru", "vasile.rotaru", "Agronomist", "+373 231 52 880")],
        "Sensors and partners",
        [
            _request(
                "technology",
                "Soil sensors for small farms, low cost",
                "we are searching partner for low cost soil sensors for small farms "
                "(5-50 ha), also interested in weather stations",
                ["soil sensors", "weather station", "low cost", "small farms"],
            ),
            _offer(
                "service",
                "IT solutions for agriculture sector - local partner",
                "Local training and field support for agri tech in Moldova.",
                ["Moldova", "field support", "agritech"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Ukraine (UA)
    _org(
        "Lviv SoftHouse",
        "UA",
        "Lviv",
        "company",
        "250+",
        "lviv-softhouse",
        "Software engineering company with 380 engineers, delivering for clients in the EU and "
        "the US since 2009, with delivery centres in Lviv and Kraków.",
        [S_SOFT, S_CLOUD, S_AI],
        [_p("Oksana Kovalenko", "oksana.kovalenko", "VP Delivery", "+380 32 245 9110")],
        "Long-term clients and partner companies in SEE",
        [
            _offer(
                "service",
                "Dedicated teams: cloud, data, AI",
                "Data engineering, ML, cloud native development, DevOps. Business "
                "continuity plan with offices in Poland.",
                ["outsourcing", "data engineering", "machine learning", "DevOps"],
            ),
            _request(
                "partnership",
                "Partners for public sector tenders in EU",
                "We look for partners who bid for public IT tenders in Romania, Bulgaria "
                "and Greece and need capacity.",
                ["public tenders", "capacity", "consortium"],
            ),
        ],
        unavailable=[(DAY2, "09:30", "11:00")],
    ),
    _org(
        "Kharkiv Secure Systems",
        "UA",
        "Kharkiv",
        "sme",
        "10-49",
        "kharkiv-secure",
        "Cybersecurity company: managed SOC, incident response and threat intelligence.",
        [S_SEC],
        [_p("Dmytro Bondarenko", "dmytro.bondarenko", "CEO", "+380 57 719 4430")],
        "MSSP partners and clients in SEE",
        [
            _offer(
                "service",
                "24/7 SOC and incident response",
                "Managed detection and response, 24/7 SOC with analysts experienced in "
                "state-sponsored attacks. SIEM as a service, IR retainer.",
                ["SOC", "MDR", "incident response", "threat intelligence", "SIEM"],
            ),
            _request(
                "partnership",
                "Pentest partners",
                "We want to cooperate with pentest companies to offer full service.",
                ["penetration testing", "partnership"],
            ),
        ],
        unavailable=[(DAY1, "16:00", "17:30")],
    ),
    _org(
        "Odesa Black Sea Logistics IT",
        "UA",
        "Odesa",
        "sme",
        "10-49",
        "odesa-bslit",
        "Logistics software for grain exporters and forwarders on the Danube and Black Sea.",
        [S_LOG, S_AGRI],
        [_p("Iryna Shevchenko", "iryna.shevchenko", "Product Manager", "+380 48 705 2214")],
        "Ports and forwarders in Romania and Bulgaria",
        [
            _offer(
                "product",
                "Grain logistics tracking",
                "Tracking of grain shipments from elevator to vessel: trucks, barges, "
                "rail, documents.",
                ["grain", "logistics", "tracking", "Danube"],
            ),
            _request(
                "partnership",
                "Partners in Constanța and Varna ports",
                "Integration with port systems in Constanța and Varna.",
                ["ports", "integration", "Constanța", "Varna"],
            ),
        ],
        unavailable=[(DAY1, "09:30", "12:30")],
    ),
    _org(
        "Kyiv Institute of Applied Cybernetics",
        "UA",
        "Kyiv",
        "research_organisation",
        "50-249",
        "kiac",
        "Research institute in AI, GIS and remote sensing.",
        [S_AI, S_RDI, S_CITY],
        [_p("Dr. Andrii Melnyk", "andrii.melnyk", "Deputy Director", "+380 44 526 3390")],
        "Horizon Europe partners; reconstruction projects",
        [
            _offer(
                "technology",
                "GIS and satellite analysis for reconstruction",
                "Damage assessment and urban planning with satellite imagery and GIS.",
                ["GIS", "remote sensing", "satellite", "urban planning"],
            ),
            _request(
                "rd_cooperation",
                "Horizon Europe partners for resilient cities",
                "Looking for cities and SMEs for a Horizon Europe proposal on resilient "
                "digital twins of cities.",
                ["Horizon Europe", "digital twin", "resilient cities"],
            ),
        ],
    ),
    _org(
        "Ukrainian Digital Reconstruction Cluster",
        "UA",
        "Lviv",
        "cluster",
        "10-49",
        "ua-reconstruction",
        "Cluster of Ukrainian IT companies working on digital tools for reconstruction.",
        [S_GOV, S_RDI],
        [_p("Olena Tkachenko", "olena.tkachenko", "Partnerships Lead", "+380 67 404 8821")],
        "EU partners, EDIH cooperation",
        [
            _request(
                "partnership",
                "EDIH and cluster partners",
                "Ukrainian IT companies want to join EDIH networks and EU projects.",
                ["EDIH", "EU projects", "Ukraine"],
            ),
            _offer(
                "expertise",
                "E-government experience from Ukraine",
                "Our members built mobile e-government services used by millions.",
                ["e-government", "mobile", "digital public services"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Türkiye (TR)
    _org(
        "Marmara Yazılım",
        "TR",
        "Istanbul",
        "sme",
        "50-249",
        "marmara-yazilim",
        "Fleet management and logistics software company with 900 customers in Türkiye.",
        [S_LOG],
        [_p("Emre Yılmaz", "emre.yilmaz", "Export Manager", "+90 216 455 3210")],
        "Distributors and clients in the Balkans",
        [
            _offer(
                "product",
                "Filo takip ve rota optimizasyonu",
                "Lojistik firmaları için filo takip ve rota optimizasyonu yazılımı "
                "sunuyoruz. Fleet tracking, route optimisation and driver app for trucking "
                "companies, integration with telematics boxes and ERP; 900 customers.",
                ["fleet management", "route optimisation", "telematics", "driver app"],
            ),
            _request(
                "partnership",
                "Distributors in Romania, Bulgaria, Albania",
                "We are searching distributor partners in Balkan countries.",
                ["distribution", "Balkans", "logistics"],
            ),
        ],
    ),
    _org(
        "Ankara Smart Grid Teknoloji",
        "TR",
        "Ankara",
        "company",
        "50-249",
        "ankara-smartgrid",
        "Smart metering and grid automation company.",
        [S_ENERGY],
        [_p("Zeynep Kaya", "zeynep.kaya", "R&D Manager", "+90 312 210 4471")],
        "Horizon Europe consortium, grid forecasting",
        [
            _offer(
                "technology",
                "Smart meters and grid automation",
                "Smart meters, data concentrators and head-end software.",
                ["smart meter", "AMI", "grid automation"],
            ),
            _request(
                "rd_cooperation",
                "Horizon Europe energy consortium",
                "We look for a Horizon Europe consortium on grid flexibility and demand "
                "response; we can bring smart meter hardware and a Turkish pilot DSO.",
                ["Horizon Europe", "smart grid", "flexibility", "demand response"],
            ),
        ],
        unavailable=[(DAY1, "16:00", "17:30")],
    ),
    _org(
        "Ege Agritech",
        "TR",
        "Izmir",
        "sme",
        "10-49",
        "ege-agritech",
        "Drone services and farm analytics for fig, olive and grape producers.",
        [S_AGRI, S_AI],
        [_p("Burak Demir", "burak.demir", "Founder", "+90 232 488 1025")],
        "Traceability partners for exports",
        [
            _offer(
                "service",
                "Drone spraying and crop analytics",
                "Multispectral drone flights, disease maps and variable rate spraying.",
                ["drones", "multispectral", "crop analytics", "spraying"],
            ),
            _request(
                "technology",
                "Traceability for export to EU",
                "EU buyers ask for traceability; need a solution with QR codes.",
                ["traceability", "export", "QR code", "EU buyers"],
            ),
        ],
    ),
    _org(
        "Bosphorus Telecom Solutions",
        "TR",
        "Istanbul",
        "large_company",
        "250+",
        "bosphorus-telecom",
        "B2B arm of a telecom group: 5G, IoT connectivity, data centres and managed security.",
        [S_CLOUD, S_SEC],
        [
            _p("Selin Aydın", "selin.aydin", "Director of Partnerships", "+90 212 339 8000"),
            _p("Mert Öztürk", "mert.ozturk", "IoT Business Manager", "+90 212 339 8044"),
        ],
        "Partners for IoT and 5G applications",
        [
            _offer(
                "service",
                "5G and IoT connectivity",
                "5G, LTE-M and NB-IoT connectivity, IoT SIMs for the whole region.",
                ["5G", "IoT connectivity", "NB-IoT", "LTE-M"],
            ),
            _request(
                "partnership",
                "Industrial 5G use cases",
                "Searching app developers for industrial 5G use cases: computer vision, "
                "AGVs, AR maintenance.",
                ["5G", "industrial IoT", "computer vision", "AR"],
            ),
        ],
        unavailable=[(DAY1, "09:30", "11:00")],
    ),
    _org(
        "Bursa Otomotiv Yazılım",
        "TR",
        "Bursa",
        "sme",
        "50-249",
        "bursa-otoyazilim",
        "Automotive embedded software and test services for OEMs in the Bursa region.",
        [S_AUTO],
        [_p("Hakan Çelik", "hakan.celik", "General Manager", "+90 224 443 1066")],
        "Functional safety expertise",
        [
            _offer(
                "service",
                "Test automation for ECUs",
                "HIL/SIL test automation.",
                ["HIL", "SIL", "test automation", "ECU"],
            ),
            _request(
                "expertise",
                "ISO 26262 functional safety consulting",
                "Need experienced functional safety manager (ASIL C) for a project.",
                ["ISO 26262", "functional safety", "ASIL"],
            ),
        ],
    ),
    _org(
        "Haliç Ventures",
        "TR",
        "Istanbul",
        "other",
        "1-9",
        "halic-ventures",
        "Accelerator and seed fund for deep tech startups from Türkiye and the Black Sea region.",
        [S_RDI, S_FIN],
        [_p("Deniz Arslan", "deniz.arslan", "Managing Director", "+90 212 244 6712")],
        "Startups in AI, climate tech and fintech",
        [
            _offer(
                "investment",
                "Acceleration + EUR 100-500k",
                "3-month programme with EUR 100-500k seed ticket, office in Istanbul, "
                "access to corporate partners.",
                ["accelerator", "seed", "investment", "deep tech"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Georgia (GE)
    _org(
        "Tbilisi Digital Cluster",
        "GE",
        "Tbilisi",
        "cluster",
        "1-9",
        "tbilisi-digital",
        "Georgian ICT cluster, member of the BBS network.",
        [S_SOFT, S_RDI],
        [_p("Nino Beridze", "nino.beridze", "Cluster Manager", "+995 32 220 4410")],
        "Cluster partnerships and EU projects",
        [
            _request(
                "partnership",
                "EU partners for Georgian IT companies",
                "Georgia is associated to Horizon Europe; our members look for "
                "consortium partners.",
                ["Horizon Europe", "Georgia", "consortium"],
            ),
        ],
    ),
    _org(
        "Mtatsminda Software",
        "GE",
        "Tbilisi",
        "sme",
        "50-249",
        "mtatsminda",
        "Outsourcing company with 90 developers and a GIS product line.",
        [S_SOFT, S_CITY],
        [_p("Giorgi Kapanadze", "giorgi.kapanadze", "CEO", "+995 599 41 22 08")],
        "Clients in EU, municipalities for GIS",
        [
            _offer(
                "product",
                "Web GIS for municipalities",
                "Web GIS for utilities, roads and building permits, with mobile field "
                "data collection. Used by 6 municipalities in Georgia.",
                ["GIS", "web GIS", "municipality", "permits"],
            ),
            _offer(
                "service",
                "Software outsourcing",
                "Nearshore development, Tbilisi time zone, English speaking.",
                ["outsourcing", "nearshore"],
            ),
        ],
    ),
    _org(
        "Batumi Tourism Tech",
        "GE",
        "Batumi",
        "sme",
        "1-9",
        "batumi-tourtech",
        "Startup building a tour booking marketplace for the Black Sea coast.",
        [S_TOUR],
        [_p("Tamar Abashidze", "tamar.abashidze", "Founder", "+995 422 27 13 30")],
        "Investors and tour operator partners",
        [
            _offer(
                "product",
                "Tours marketplace Black Sea",
                "Marketplace for tours and activities in Georgia and Türkiye.",
                ["tours", "marketplace", "activities"],
            ),
            _request(
                "investment",
                "Angel investment",
                "Looking for angels for pre-seed.",
                ["angels", "pre-seed"],
            ),
        ],
        unavailable=[(DAY1, "14:00", "17:30")],
    ),
    # ----------------------------------------------------------------------- Armenia (AM)
    _org(
        "Ararat AI Lab",
        "AM",
        "Yerevan",
        "sme",
        "10-49",
        "ararat-ai",
        "AI company specialising in computer vision for retail and industry.",
        [S_AI],
        [_p("Armen Sargsyan", "armen.sargsyan", "CEO", "+374 10 54 21 08")],
        "Industrial clients and investment",
        [
            _offer(
                "technology",
                "Computer vision for retail and manufacturing",
                "Shelf monitoring, people counting and visual defect detection; models "
                "run on edge devices or in cloud.",
                ["computer vision", "defect detection", "retail analytics", "edge AI"],
            ),
            _request(
                "investment",
                "Series A EUR 3M",
                "Raising Series A for expansion to EU.",
                ["Series A", "investment", "AI"],
            ),
        ],
        unavailable=[(DAY2, "09:30", "13:00")],
    ),
    _org(
        "Hayk Digital Cluster",
        "AM",
        "Yerevan",
        "cluster",
        "1-9",
        "hayk-digital",
        "Armenian ICT cluster, member of the BBS network.",
        [S_SOFT, S_RDI],
        [_p("Lilit Hakobyan", "lilit.hakobyan", "Director", "+374 10 56 30 44")],
        "Cluster partners and Horizon Europe",
        [
            _offer(
                "partnership",
                "Armenian tech ecosystem",
                "Matchmaking with Armenian software and AI companies.",
                ["Armenia", "cluster", "AI"],
            ),
            _request(
                "rd_cooperation",
                "Partners for Horizon Europe",
                "Armenian research labs look for consortium partners.",
                ["Horizon Europe", "consortium"],
            ),
        ],
    ),
    _org(
        "Sevan Health Informatics",
        "AM",
        "Yerevan",
        "sme",
        "10-49",
        "sevan-health",
        "Telemedicine and remote patient monitoring platform.",
        [S_HEALTH],
        [_p("Anahit Grigoryan", "anahit.grigoryan", "Co-founder", "+374 91 40 22 19")],
        "Clinics and distributors",
        [
            _offer(
                "product",
                "Telemedicine and remote monitoring of chronic patients",
                "Video consultations, connected glucometers and blood pressure monitors, "
                "alerts for doctors. FHIR API.",
                ["telemedicine", "remote patient monitoring", "FHIR", "chronic care"],
            ),
            _request(
                "partnership",
                "Clinics in Romania and Greece",
                "Clinic chains for pilots.",
                ["clinics", "pilot", "Romania", "Greece"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Kosovo (XK)
    _org(
        "Dardania Software",
        "XK",
        "Prishtina",
        "sme",
        "50-249",
        "dardania-software",
        "Software company with 110 developers, working for German and Swiss clients and "
        "building smart city products.",
        [S_SOFT, S_CITY],
        [_p("Blerim Krasniqi", "blerim.krasniqi", "Co-founder", "+383 38 222 415")],
        "Nearshore clients and smart city buyers",
        [
            _offer(
                "product",
                "Smart parking sensors and app",
                "In-ground parking sensors (NB-IoT) with mobile payment app and dashboard "
                "for the municipality; live in Prishtina and two German towns.",
                ["smart parking", "NB-IoT", "sensors", "smart city", "mobile payment"],
            ),
            _offer(
                "service",
                "German-speaking nearshore teams",
                "We are working in nearshoring for DACH since 2012, German speaking "
                "developers and PMs, .NET, Java, Angular.",
                ["nearshoring", "German speaking", "outsourcing"],
            ),
            _request(
                "partnership",
                "Smart city integrators in Bulgaria and Greece",
                "Partners to bring our parking solution to municipalities.",
                ["smart city", "integrator", "municipalities"],
            ),
        ],
    ),
    _org(
        "Prizren Innovation Centre",
        "XK",
        "Prizren",
        "other",
        "1-9",
        "prizren-ic",
        "Incubator and coworking space supporting startups in southern Kosovo.",
        [S_RDI, S_EDU],
        [_p("Drita Berisha", "drita.berisha", "Programme Director", "+383 29 244 610")],
        "Mentors and investors for startups",
        [
            _request(
                "investment",
                "Investors for our startup cohort",
                "Kërkojmë investitorë dhe mentorë për startup-et tona. Demo day in autumn 2027.",
                ["investors", "mentors", "startups", "demo day"],
            ),
            _offer(
                "service",
                "Soft landing in Kosovo",
                "Office space and local contacts.",
                ["soft landing", "coworking"],
            ),
        ],
    ),
    _org(
        "Prishtina University of Technology",
        "XK",
        "Prishtina",
        "university",
        "250+",
        "put-prishtina",
        "Public university with computer engineering and electrical engineering faculties.",
        [S_RDI, S_EDU],
        [
            _p(
                "Prof. Agron Gashi",
                "agron.gashi",
                "Dean, Faculty of Computer Engineering",
                "+383 38 554 120",
            )
        ],
        "Industry partners and e-learning tools",
        [
            _request(
                "product",
                "Online learning platform for engineering courses",
                "Platform for blended learning with online exams for 4,000 students.",
                ["LMS", "online exams", "e-learning", "blended learning"],
            ),
            _offer(
                "rd_cooperation",
                "Joint research and student projects",
                "Students and staff for joint applied projects.",
                ["research", "students", "cooperation"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- Cyprus (CY)
    _org(
        "Troodos Fintech",
        "CY",
        "Nicosia",
        "sme",
        "10-49",
        "troodos-fintech",
        "Payment institution offering multi-currency accounts and card issuing for SMEs.",
        [S_FIN, S_SEC],
        [_p("Andreas Christodoulou", "andreas.christodoulou", "COO", "+357 22 456 710")],
        "DORA compliance, pentest, development capacity",
        [
            _request(
                "expertise",
                "DORA and ISO 27001 compliance support",
                "Need help with DORA ICT risk framework and ISO 27001 certification "
                "before the next audit.",
                ["DORA", "ISO 27001", "compliance", "ICT risk"],
            ),
            _request(
                "service",
                "Dedicated team of React and Node developers",
                "4-5 developers for our customer portal, long term.",
                ["React", "Node.js", "dedicated team", "outsourcing"],
            ),
            _offer(
                "service",
                "Card issuing as a service",
                "BIN sponsorship and card issuing for fintechs in the EU.",
                ["card issuing", "BIN sponsorship", "payments"],
            ),
        ],
        unavailable=[(DAY1, "09:30", "10:30")],
    ),
    _org(
        "Limassol Shipping Software",
        "CY",
        "Limassol",
        "sme",
        "10-49",
        "limassol-shipsoft",
        "Chartering and voyage management software for ship operators.",
        [S_LOG],
        [_p("Christina Georgiou", "christina.georgiou", "CTO", "+357 25 880 319")],
        "Development partners and maritime cyber",
        [
            _offer(
                "product",
                "Voyage management and chartering platform",
                "Voyage estimates, laytime calculation and chartering workflow.",
                ["voyage management", "chartering", "shipping"],
            ),
            _request(
                "service",
                "Outsourced QA and mobile developers",
                "Seeking outsourcing partner for QA and Flutter mobile app.",
                ["QA", "Flutter", "outsourcing"],
            ),
        ],
    ),
    _org(
        "Kition Ventures",
        "CY",
        "Larnaca",
        "other",
        "1-9",
        "kition-ventures",
        "Early-stage fund investing in fintech, proptech and tourism tech in the Eastern "
        "Mediterranean.",
        [S_FIN, S_TOUR],
        [_p("Michalis Ioannou", "michalis.ioannou", "Investment Director", "+357 24 530 215")],
        "Fintech and tourism tech startups",
        [
            _offer(
                "investment",
                "Pre-seed and seed investments",
                "Tickets EUR 150k-800k for fintech and travel tech startups from Cyprus, "
                "Greece and the Balkans.",
                ["investment", "seed", "fintech", "travel tech"],
            ),
        ],
    ),
    # ----------------------------------------------------------------------- More participants
    _org(
        "Black Sea Chamber of Commerce Trabzon - Digital Desk",
        "TR",
        "Trabzon",
        "public_body",
        "10-49",
        "bsccc-trabzon",
        "Chamber of commerce of the Eastern Black Sea region; the Digital Desk helps member "
        "companies with e-commerce, e-export and digital tools.",
        [S_GOV, S_LOG],
        [_p("Ayşe Koç", "ayse.koc", "Digital Desk Coordinator", "+90 462 321 5540")],
        "E-export platforms and digital training for member SMEs",
        [
            _request(
                "service",
                "E-export training for 300 member companies",
                "Training and tools for SMEs who want to sell online abroad (marketplaces, "
                "payments, logistics).",
                ["e-export", "e-commerce", "training", "SME"],
            ),
            _offer(
                "partnership",
                "Access to Eastern Black Sea companies",
                "B2B contacts with 9,000 member companies, hazelnut and tea exporters.",
                ["chamber of commerce", "B2B", "export"],
            ),
        ],
    ),
    _org(
        "Bucharest Digital School",
        "RO",
        "Bucharest",
        "sme",
        "10-49",
        "bucharest-digischool",
        "Edtech company running online IT reskilling programmes and an adaptive learning "
        "platform for companies.",
        [S_EDU, S_SOFT],
        [_p("Irina Constantin", "irina.constantin", "Head of Partnerships", "+40 31 425 6630")],
        "Companies and clusters for reskilling programmes",
        [
            _offer(
                "service",
                "IT reskilling bootcamps and adaptive e-learning",
                "We run 16-week online bootcamps (QA, data analysis, cloud support) for "
                "adults changing careers, in Romanian and English, and license our adaptive "
                "learning platform to companies for onboarding. Employers co-design the "
                "curriculum, and graduates do a 4-week project with them before hiring. "
                "In 2026 we trained 1,100 people, 68% got an IT job within six months. "
                "We can replicate the programme with a local cluster or employment agency "
                "in any country of the region, with EU or national funding.",
                ["bootcamp", "reskilling", "adaptive learning", "e-learning", "onboarding"],
            ),
            _request(
                "partnership",
                "Clusters to replicate our bootcamp",
                "Clusters or employment agencies for joint programmes.",
                ["cluster", "digital skills", "employment"],
            ),
        ],
    ),
    _org(
        "Georgian Technical Academy Kutaisi",
        "GE",
        "Kutaisi",
        "university",
        "250+",
        "gta-kutaisi",
        "Regional technical university with programmes in computer science, energy and logistics.",
        [S_RDI, S_EDU, S_ENERGY],
        [
            _p(
                "Prof. Levan Gelashvili",
                "levan.gelashvili",
                "Head of International Office",
                "+995 431 24 55 10",
            )
        ],
        "EU partners, exchange programmes",
        [
            _request(
                "rd_cooperation",
                "Erasmus+ and Horizon partners",
                "We are searching partner universities for Erasmus+ capacity building in "
                "higher education (data science curriculum).",
                ["Erasmus+", "capacity building", "curriculum", "data science"],
            ),
            _offer(
                "rd_cooperation",
                "Renewable energy test site",
                "Small hydro and PV test site available for joint research.",
                ["renewables", "test site", "hydro"],
            ),
        ],
    ),
    _org(
        "Danube Delta Regional Development Agency",
        "RO",
        "Tulcea",
        "public_body",
        "10-49",
        "deltadr",
        "Regional agency supporting digitalisation of tourism, fisheries and local public "
        "administration in Tulcea county.",
        [S_GOV, S_TOUR],
        [_p("Mihaela Tudose", "mihaela.tudose", "Project Officer", "+40 240 515 207")],
        "Digital tourism tools and Interreg partners",
        [
            _request(
                "product",
                "Digital visitor management for the Delta",
                "App for visitor passes, boat bookings and visitor counting in protected areas.",
                ["visitor management", "tourism", "booking", "protected areas"],
            ),
            _offer(
                "partnership",
                "Partner for Black Sea Basin projects",
                "Experienced partner in Interreg NEXT Black Sea Basin projects.",
                ["Interreg NEXT", "Black Sea", "tourism"],
            ),
        ],
        unavailable=[(DAY2, "09:30", "11:00")],
    ),
]


def _mr(sender, receiver, message, status):
    return {"from": sender, "to": receiver, "message": message, "status": status}


MEETING_REQUESTS = [
    _mr(
        "ion.dumitrescu@agrovest.example",
        "marko.jovanovic@fieldnode.example",
        "We need soil moisture sensors for about 40 fields, some without good mobile coverage. "
        "Can your LoRaWAN gateways cover this and show everything in one dashboard?",
        "accepted",
    ),
    _mr(
        "georgi.kolev@plovdiv-agrodata.example",
        "marko.jovanovic@fieldnode.example",
        "Our farm app could show your sensor data. Let's discuss API integration and a joint "
        "offer for Bulgaria.",
        "accepted",
    ),
    _mr(
        "dimitris.alexiou@tiir.example",
        "ion.dumitrescu@agrovest.example",
        "We are preparing a Horizon Europe smart farming proposal and look for a cooperative as "
        "pilot site. Would AgroVest be interested?",
        "accepted",
    ),
    _mr(
        "dimitris.alexiou@tiir.example",
        "marko.jovanovic@fieldnode.example",
        "Looking for an IoT SME for our Horizon Europe consortium on smart farming.",
        "pending",
    ),
    _mr(
        "tomislav.babic@slavonija-agri.example",
        "dimitris.alexiou@tiir.example",
        "Interested in your drone-based crop disease detection for our orchards and soybean.",
        "accepted",
    ),
    _mr(
        "tomislav.babic@slavonija-agri.example",
        "maria.tsakiri@agrosense.example",
        "We look for frost alarms and irrigation advice in orchards. Do your weather stations "
        "support this?",
        "pending",
    ),
    _mr(
        "vasile.rotaru@balti-agro.example",
        "maria.tsakiri@agrosense.example",
        "Hello, we search low cost weather stations for small farms in Moldova, maybe we can "
        "be your local partner.",
        "pending",
    ),
    _mr(
        "burak.demir@ege-agritech.example",
        "sergiu.rusu@nistrusoft.example",
        "Our fig and olive exporters need traceability with QR codes for EU buyers. "
        "Can we see a demo?",
        "accepted",
    ),
    _mr(
        "daniela.neagu@arges-components.example",
        "stefan.ilic@iav-belgrade.example",
        "We want to automate visual inspection of injection moulded parts on 6 lines. "
        "Could you present references and a pilot approach?",
        "accepted",
    ),
    _mr(
        "daniela.neagu@arges-components.example",
        "armen.sargsyan@ararat-ai.example",
        "Interested in your defect detection models for our plastic parts.",
        "pending",
    ),
    _mr(
        "daniela.neagu@arges-components.example",
        "ana.djordjevic@balkantelco.example",
        "We are studying a private 5G network for AGVs in our second plant and would like to "
        "understand costs and timeline.",
        "accepted",
    ),
    _mr(
        "mert.ozturk@bosphorus-telecom.example",
        "stefan.ilic@iav-belgrade.example",
        "We look for computer vision partners for industrial 5G use cases with our clients.",
        "pending",
    ),
    _mr(
        "todor.vasilev@serdika-banktech.example",
        "yavor.mladenov@kodracyber.example",
        "We need a pentest of our mobile banking apps and API gateway before the autumn "
        "release. Please bring a sample report.",
        "accepted",
    ),
    _mr(
        "yavor.mladenov@kodracyber.example",
        "dmytro.bondarenko@kharkiv-secure.example",
        "Let's talk about a joint offer: our pentest and red team plus your 24/7 SOC.",
        "accepted",
    ),
    _mr(
        "radostina.yaneva@burgas-smartcity.example",
        "blerim.krasniqi@dardania-software.example",
        "We plan a smart parking pilot for 1,200 places in Burgas. Can your sensors integrate "
        "with our SMS payment system?",
        "accepted",
    ),
    _mr(
        "radostina.yaneva@burgas-smartcity.example",
        "vuk.perovic@lovcen-cyber.example",
        "We need a security audit and awareness training for the municipal administration.",
        "pending",
    ),
    _mr(
        "andreas.christodoulou@troodos-fintech.example",
        "vuk.perovic@lovcen-cyber.example",
        "Looking for support with DORA ICT risk framework and ISO 27001 before our audit.",
        "accepted",
    ),
    _mr(
        "milica.petrovic@savafintech.example",
        "vuk.perovic@lovcen-cyber.example",
        "We need help with security requirements for our payment institution licence.",
        "declined",
    ),
    _mr(
        "gabriel.sandu@dobrogea-freight.example",
        "emre.yilmaz@marmara-yazilim.example",
        "We plan 210 trucks in Excel today. We want to see your route optimisation and driver "
        "app, and if it works with our telematics boxes.",
        "accepted",
    ),
    _mr(
        "gabriel.sandu@dobrogea-freight.example",
        "cristian.radu@erpnova.example",
        "Ne interesează integrarea ERP cu noua platformă de transport. Putem discuta?",
        "pending",
    ),
    _mr(
        "klodiana.meta@adriatik-logistics.example",
        "stefan.nedev@varna-mls.example",
        "Does your system work for freight forwarders too, not only terminals?",
        "pending",
    ),
    _mr(
        "ioana.stanciu@medlink-craiova.example",
        "anna.todorova@rilahealth.example",
        "We need a lab system that exchanges results with our clinics via FHIR.",
        "accepted",
    ),
    _mr(
        "ioana.stanciu@medlink-craiova.example",
        "anahit.grigoryan@sevan-health.example",
        "Interested in remote monitoring for our diabetic patients; could we run a pilot in "
        "Craiova?",
        "accepted",
    ),
    _mr(
        "ante.matic@dalmacija-stay.example",
        "kostas.manolakis@olympos-travel.example",
        "We manage 350 apartments and need one calendar for Booking and Airbnb. "
        "Does your channel manager work in Croatia?",
        "accepted",
    ),
    _mr(
        "boris.iliev@pixelmountain.example",
        "luka.popovic@gamehive.example",
        "We look for a co-development partner for 3D environment art for 10-14 months, and "
        "maybe console porting later.",
        "accepted",
    ),
    _mr(
        "florin.stan@banat-automotive.example",
        "dragan.nikolic@kg-autosoft.example",
        "We need 4-6 embedded C engineers with AUTOSAR and ISO 26262 from Q3 2027.",
        "accepted",
    ),
    _mr(
        "hakan.celik@bursa-otoyazilim.example",
        "dragan.nikolic@kg-autosoft.example",
        "We are searching a functional safety expert for an ASIL C project.",
        "pending",
    ),
    _mr(
        "matej.novak@drava-embedded.example",
        "dragan.nikolic@kg-autosoft.example",
        "Could you provide 3 embedded C / RTOS engineers as subcontractors?",
        "declined",
    ),
    _mr(
        "alexandra.ionescu@danubia-fintech.example",
        "vlad.munteanu@carpathia-vc.example",
        "We are raising EUR 1.2M seed to expand to Bulgaria and Greece. 600 SMEs onboarded.",
        "accepted",
    ),
    _mr(
        "alexandra.ionescu@danubia-fintech.example",
        "maria.ivanova@serdika-banktech.example",
        "Would Serdika Bank be interested in financing SME invoices through our platform?",
        "accepted",
    ),
    _mr(
        "milica.petrovic@savafintech.example",
        "vlad.munteanu@carpathia-vc.example",
        "Sava Fintech Labs is raising a EUR 1.5M seed round for Western Balkans expansion.",
        "pending",
    ),
    _mr(
        "elena.naumovska@ohrid-tourtech.example",
        "michalis.ioannou@kition-ventures.example",
        "We are raising pre-seed for our museum guide and e-ticketing app.",
        "declined",
    ),
    _mr(
        "ardita.kola@tirana-innovation.example",
        "emir.kovacevic@miljacka-code.example",
        "We need a citizen e-services portal with online payments. Can we see your platform "
        "running in BiH municipalities?",
        "accepted",
    ),
    _mr(
        "ardita.kola@tirana-innovation.example",
        "luka.zupan@triglav-cloud.example",
        "We want to migrate 12 legacy applications to cloud.",
        "pending",
    ),
    _mr(
        "sofia.georgiadou@cm-digital.example",
        "giorgi.kapanadze@mtatsminda.example",
        "We are looking for a web GIS for roads, water networks and permits.",
        "accepted",
    ),
    _mr(
        "mirza.begic@tuzla-energy.example",
        "ioannis.vlachos@kyma-energy.example",
        "Our utility clients ask for load and PV forecasting. Could we integrate your "
        "forecasts in our billing and metering platform?",
        "accepted",
    ),
    _mr(
        "agron.gashi@put-prishtina.example",
        "ivana.petreska@pelister-edtech.example",
        "We need an LMS with online exams for 4,000 engineering students.",
        "accepted",
    ),
    _mr(
        "christina.georgiou@limassol-shipsoft.example",
        "nemanja.stojanovic@nis-softver.example",
        "Seeking a partner for QA and a Flutter mobile app, can you share rates?",
        "accepted",
    ),
    _mr(
        "nikos.karagiannis@aegeancode.example",
        "radu.pop@codeforge.example",
        "We need a QA team of 3-4 testers for mobile regression testing.",
        "pending",
    ),
    _mr(
        "kalina.stoyanova@sofia-ict-cluster.example",
        "petra.juric@zagreb-dih.example",
        "We coordinate a Digital Europe skills proposal and would like Zagreb DIH on board.",
        "accepted",
    ),
]

DEMO_LOGINS = [
    ORGANIZER["email"],
    "ion.dumitrescu@agrovest.example",
    "marko.jovanovic@fieldnode.example",
    "daniela.neagu@arges-components.example",
    "radostina.yaneva@burgas-smartcity.example",
]

DEMO_PASSWORD = "demo-brokerage-2027"  # noqa: S105 - public demo password, printed by the loader

# Consent to suggested meetings ("Fill my free slots with suggested meetings: no / up to N").
# The event suggests none to those who do not say (its default, 0) and never under the floor
# (a match score); these shares of the registrations chose a limit (the loader draws them with
# the seed, so every load is the same: "0" said no outright), and the printed logins of
# participants accept up to 2, so whoever tries the demo can meet a suggestion.
SUGGESTED_MEETINGS = {
    "default": 0,
    "floor": 0.25,
    "seed": 2027,
    "shares": {3: 0.3, 2: 0.1, 1: 0.1, 0: 0.15},
    "logins": 2,
}


# --- Last year's edition: a finished event, for statistics on first run ----------------------
#
# The same network's brokerage days a year earlier, in Thessaloniki. The loader
# (services/demo.py) picks its participants among the organisations above and generates its
# requests, agenda, day-of statuses and feedback from these shares with a fixed seed, so
# every run builds the same event.

PAST_EVENT = {
    "slug": "bbs-ict-brokerage-2026",
    "title": "BBS ICT Brokerage Days 2026",
    "description": (
        "Last year's edition of the Balkan and Black Sea ICT Clusters Network's brokerage "
        "days, held in Thessaloniki during the Thessaloniki International Fair. Two days of "
        "25-minute one-to-one meetings between software companies, universities, clusters "
        "and public bodies of South-East Europe and the Black Sea region."
    ),
    "venue": "TIF-Helexpo, Pavilion 8 - Brokerage Area",
    "city": "Thessaloniki",
    "country": "GR",
    "timezone": "Europe/Athens",
    "registration_opens": "2026-02-02",
    "registration_closes": "2026-05-04",
    "days": [
        {"date": "2026-05-12", "sessions": [("09:30", "12:30"), ("14:00", "17:00")]},
        {"date": "2026-05-13", "sessions": [("09:30", "12:30")]},
    ],
    "breaks": [
        {"date": "2026-05-12", "start": "11:00", "end": "11:15", "title": "Coffee break"},
        {"date": "2026-05-12", "start": "15:30", "end": "15:45", "title": "Coffee break"},
        {"date": "2026-05-13", "start": "11:00", "end": "11:15", "title": "Coffee break"},
    ],
    "meeting_minutes": 25,
    "gap_minutes": 5,
    "tables": 20,
    "published": "2026-05-05 10:00",
}

PAST_EDITION = {
    "seed": 2026,
    # What the organizers wrote for the funder report (reports/details).
    "report": {
        "organizer_name": "Balkan and Black Sea ICT Clusters Network",
        "funder": "European Union, European Regional Development Fund",
        "programme": "Interreg NEXT Black Sea Basin 2021-2027",
        "project": "BSB-ICT-LINK: cross-border digital innovation partnerships (BSB00123)",
        "narrative": (
            "The Brokerage Days bring together ICT companies, clusters, universities and "
            "public bodies of the Balkan and Black Sea region for pre-arranged one-to-one "
            "meetings, so that small firms find partners across borders they would not "
            "meet otherwise.\n\nThe 2026 edition in Thessaloniki ran two meeting days "
            "next to the TIF-Helexpo fair. Participants chose whom to meet from each "
            "other's offers and needs; the organizers scheduled the agenda and added "
            "walk-in meetings on the day. Feedback was asked right after the event and "
            "again four months later, to see which meetings led to offers and agreements."
        ),
    },
    "participants": 64,  # organisations taking part (first person of each)
    "requests_per_participant": 3,
    "cross_border_preference": 0.75,  # share of requests and suggestions across borders
    # Final states of the requests (nothing stays pending after an event).
    "request_statuses": {"accepted": 0.55, "declined": 0.15, "expired": 0.22, "cancelled": 0.08},
    "suggestions_per_participant": 2,  # meetings the organizer added from suggested matches
    "walk_ins": 7,
    "absent_participants": 3,  # registered, had meetings, never came
    # How the meetings went on the day ("scheduled": nobody marked it).
    "meeting_statuses": {"held": 0.82, "no_show": 0.08, "cancelled": 0.07, "scheduled": 0.03},
    "rounds": [
        {
            "kind": "after_event",
            "started": "2026-05-14 08:00",
            "reminded": "2026-05-21 08:00",
            "answer_share": 0.72,
        },
        {
            "kind": "follow_up",
            "started": "2026-09-15 08:00",
            "reminded": None,
            "answer_share": 0.45,
        },
    ],  # fmt: skip
    "usefulness": {1: 0.04, 2: 0.09, 3: 0.24, 4: 0.38, 5: 0.25},
    "outcomes": {
        "no_further_contact": 0.26,
        "follow_up_planned": 0.41,
        "offer_sent": 0.19,
        "agreement_expected": 0.10,
        "agreement_signed": 0.04,
    },
    # Where an outcome of the first round stands at the follow-up.
    "outcome_moves": {
        "no_further_contact": {"no_further_contact": 1.0},
        "follow_up_planned": {
            "follow_up_planned": 0.35,
            "offer_sent": 0.3,
            "no_further_contact": 0.25,
            "agreement_expected": 0.1,
        },
        "offer_sent": {
            "offer_sent": 0.3,
            "agreement_expected": 0.3,
            "agreement_signed": 0.2,
            "no_further_contact": 0.2,
        },
        "agreement_expected": {
            "agreement_signed": 0.55,
            "agreement_expected": 0.35,
            "no_further_contact": 0.1,
        },
        "agreement_signed": {"agreement_signed": 1.0},
    },  # fmt: skip
    "comments": [
        "Very well prepared partner, we exchanged technical documentation the same week.",
        "Good contact, but they are looking for a larger subcontractor than we are.",
        "We agreed on a pilot with two of their customers in the autumn.",
        "Interesting, although our offers overlap more than they complement.",
        "They will join our Interreg proposal as a technology partner.",
        "Short meeting, the partner arrived late; a call is planned.",
        "Exactly the integration partner we were looking for.",
        "Useful market information about the Romanian public sector.",
        "Sent a quotation for the ERP connector two weeks after the event.",
        "Signed a reseller agreement for Serbia and Montenegro.",
    ],
}
