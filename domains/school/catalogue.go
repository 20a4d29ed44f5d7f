package school

// A department is one academic department of the generator's catalogue. Courses show
// either its name or its code as their department, as the reference data mixes both.
type department struct {
	name, code string
	school     string   // the school or college a student of this major belongs to
	buildings  []string // where its courses meet
	titles     []string // course titles, introductory ones first
	topics     []string // meeting topics after the first session
	degrees    []string // undergraduate degrees offered in its major
}

var catalogue = []department{
	{name: "Biology", code: "BIO", school: "College of Science", buildings: []string{"Life Sciences", "Science Center"},
		titles: []string{"Introductory Molecular Biology", "Principles of Biology", "Genetics", "Ecology and Evolution",
			"Cell Biology", "Microbiology", "Biostatistics for Life Sciences", "Advanced Immunology"},
		topics:  []string{"Cell structure", "Mitosis and meiosis", "Mendelian inheritance", "Population dynamics", "Bacterial cell structure", "Enzyme kinetics"},
		degrees: []string{"BS", "BA"}},
	{name: "Chemistry", code: "CHEM", school: "College of Science", buildings: []string{"Science Hall", "Chemistry Building"},
		titles: []string{"Introductory Chemistry I", "General Chemistry II", "Organic Chemistry I", "Organic Chemistry II",
			"Analytical Chemistry", "Physical Chemistry", "Biochemistry", "Inorganic Chemistry Seminar"},
		topics:  []string{"Stoichiometry", "Chemical bonding", "Reaction mechanisms", "Spectroscopy lab", "Thermodynamics", "Acid-base equilibria"},
		degrees: []string{"BS"}},
	{name: "Physics", code: "PHYS", school: "College of Science", buildings: []string{"Physics Center", "Science Hall"},
		titles: []string{"Classical Mechanics", "Waves and Optics", "Electromagnetism", "Modern Physics",
			"Thermal Physics", "Quantum Mechanics", "Solid State Physics", "Quantum Field Theory Seminar"},
		topics:  []string{"Newton's laws", "Boundary conditions", "Maxwell's equations", "Wave packets", "Entropy", "Lab: pendulum timing"},
		degrees: []string{"BS"}},
	{name: "Mathematics", code: "MATH", school: "College of Arts and Sciences", buildings: []string{"Mathematics Center", "Science Hall"},
		titles: []string{"Calculus I", "Calculus II", "Linear Algebra", "Differential Equations",
			"Probability Theory", "Real Analysis", "Abstract Algebra", "Topics in Numerical Analysis"},
		topics:  []string{"Limits and continuity", "Eigenvalues", "Integration techniques", "Proof techniques", "Random variables", "Problem session"},
		degrees: []string{"BS", "BA"}},
	{name: "Computer Science", code: "CSCI", school: "School of Engineering", buildings: []string{"Engineering Hall", "Tech Center"},
		titles: []string{"Introduction to Programming", "Data Structures", "Computer Organization", "Algorithms",
			"Operating Systems", "Databases", "Machine Learning", "Distributed Systems"},
		topics:  []string{"Stacks and queues", "Recursion", "Hash tables", "Graph search", "Scheduling", "SQL joins"},
		degrees: []string{"BS"}},
	{name: "English", code: "ENGL", school: "School of Arts and Humanities", buildings: []string{"Humanities Hall", "Library Annex"},
		titles: []string{"Introduction to Literary Analysis", "British Literature I", "American Literature", "Creative Writing Workshop",
			"Shakespearean Drama", "Modernist Poetry", "The Victorian Novel", "Literary Theory"},
		topics:  []string{"Close reading", "Sonnet forms", "Narrative voice", "Peer workshop", "Hamlet, acts I-III", "Essay conference"},
		degrees: []string{"BA"}},
	{name: "History", code: "HIST", school: "College of Arts and Sciences", buildings: []string{"Humanities Hall", "Heritage Hall"},
		titles: []string{"Ancient Civilizations", "World History Since 1500", "U.S. History Since 1865", "Medieval Europe",
			"History of Modern China", "The Atlantic World", "Global Historiography", "Research Seminar in History"},
		topics:  []string{"Primary sources", "The Roman Republic", "Reconstruction", "Trade networks", "Historiography debate", "Archive visit"},
		degrees: []string{"BA"}},
	{name: "Economics", code: "ECON", school: "College of Social Sciences", buildings: []string{"Social Sciences Building", "Business Hall"},
		titles: []string{"Principles of Microeconomics", "Principles of Macroeconomics", "Intermediate Microeconomics", "Econometrics",
			"Public Finance", "International Trade", "Behavioral Economics", "Advanced Macroeconomic Theory"},
		topics:  []string{"Supply and demand", "Elasticity", "Regression basics", "Fiscal policy", "Comparative advantage", "Problem set review"},
		degrees: []string{"BA", "BS"}},
	{name: "Psychology", code: "PSYC", school: "College of Social Sciences", buildings: []string{"Behavioral Sciences", "Social Sciences Building"},
		titles: []string{"Introduction to Psychology", "Research Methods in Psychology", "Developmental Psychology", "Cognitive Psychology",
			"Social Psychology", "Abnormal Psychology", "Neuroscience of Behavior", "Clinical Assessment"},
		topics:  []string{"Memory", "Experimental design", "Attachment", "Perception", "Conformity", "Case studies"},
		degrees: []string{"BA", "BS"}},
	{name: "Sociology", code: "SOCI", school: "College of Social Sciences", buildings: []string{"Social Sciences Building"},
		titles: []string{"Introduction to Sociology", "Social Problems", "Race and Ethnicity", "Urban Sociology",
			"Sociology of Education", "Social Theory", "Quantitative Methods"},
		topics:  []string{"Socialization", "Inequality", "Fieldwork methods", "Survey design", "Classical theory"},
		degrees: []string{"BA"}},
	{name: "Spanish", code: "SPAN", school: "School of Arts and Humanities", buildings: []string{"Language Center", "Humanities Hall"},
		titles: []string{"Elementary Spanish I", "Elementary Spanish II", "Intermediate Spanish", "Spanish Conversation",
			"Latin American Literature", "Spanish Linguistics", "Translation Workshop"},
		topics:  []string{"Preterite and imperfect", "Oral presentations", "Subjunctive mood", "Short story discussion", "Dialect variation"},
		degrees: []string{"BA"}},
	{name: "Geography", code: "GEOG", school: "College of Arts and Sciences", buildings: []string{"Earth Sciences", "Geography Hall"},
		titles: []string{"Physical Geography", "Human Geography", "Cartography", "Geographic Information Systems",
			"Urban Geography", "Climate and Society", "Remote Sensing"},
		topics:  []string{"Map projections", "Landforms", "Spatial data", "Migration patterns", "Field mapping"},
		degrees: []string{"BA", "BS"}},
	{name: "Music", code: "MUSC", school: "School of Music", buildings: []string{"Music Hall", "Performing Arts Center"},
		titles: []string{"Music Theory I", "Music Theory II", "History of Jazz", "Ear Training",
			"Digital Music Production", "Orchestration", "Composition Seminar"},
		topics:  []string{"Intervals and scales", "Chord progressions", "Bebop", "Sight singing", "Mixing basics"},
		degrees: []string{"BM", "BA"}},
	{name: "Fine Arts", code: "ART", school: "School of Arts", buildings: []string{"Art Center", "Studio Arts Building"},
		titles: []string{"Introduction to Drawing", "Foundations of Design", "Painting I", "Sculpture Studio",
			"Printmaking", "Renaissance Art", "Contemporary Art Practice"},
		topics:  []string{"Gesture drawing", "Shading techniques", "Color theory", "Critique session", "Materials overview"},
		degrees: []string{"BFA", "BA"}},
	{name: "Business", code: "BUS", school: "School of Business", buildings: []string{"Business Hall", "Commerce Center"},
		titles: []string{"Introduction to Business", "Financial Accounting", "Principles of Marketing", "Business Statistics",
			"Corporate Finance", "Operations Management", "Business Strategy", "Entrepreneurship Lab"},
		topics:  []string{"Balance sheets", "Market segmentation", "Case discussion", "Time value of money", "Supply chains"},
		degrees: []string{"BS", "BA"}},
	{name: "Public Health", code: "PUBH", school: "School of Health Sciences", buildings: []string{"Health Sciences", "Public Health Building"},
		titles: []string{"Introduction to Public Health", "Principles of Epidemiology", "Global Health", "Biostatistics",
			"Health Policy and Management", "Environmental Health", "Community Health Nursing"},
		topics:  []string{"Disease surveillance", "Study designs", "Health equity", "Outbreak investigation", "Policy analysis"},
		degrees: []string{"BS"}},
	{name: "Environmental Science", code: "ENVS", school: "College of Science", buildings: []string{"Earth Sciences", "Sustainability Center"},
		titles: []string{"Introduction to Environmental Science", "Climate Change Science", "Ecology Field Methods", "Water Resources",
			"Environmental Policy", "Conservation Biology", "Sustainability Seminar"},
		topics:  []string{"Carbon cycle", "Field sampling", "Watershed management", "Policy instruments", "Biodiversity"},
		degrees: []string{"BS", "BA"}},
	{name: "Political Science", code: "POLS", school: "College of Social Sciences", buildings: []string{"Social Sciences Building", "Law and Policy Hall"},
		titles: []string{"Introduction to American Government", "Comparative Politics", "International Relations", "Political Theory",
			"Public Policy Analysis", "Constitutional Law", "Elections and Voting"},
		topics:  []string{"Federalism", "Party systems", "Realism and liberalism", "Policy cycle", "Judicial review"},
		degrees: []string{"BA"}},
	{name: "Physical Education", code: "PHED", school: "School of Health Sciences", buildings: []string{"Recreation Center", "Kinesiology Building"},
		titles: []string{"Fitness and Wellness", "Introduction to Kinesiology", "Exercise Physiology", "Sports Nutrition",
			"Motor Learning", "Coaching Methods"},
		topics:  []string{"Training principles", "Energy systems", "Motor skills", "Nutrition planning", "Practical assessment"},
		degrees: []string{"BS"}},
}

// Graduate programs and their degrees; a graduate student's major is a department name.
var graduateDegrees = []string{"MS", "MA", "MBA", "MS", "MS"}

// Schools that grant graduate and continuing-education programs.
const (
	graduateSchool   = "Graduate School of Arts and Sciences"
	continuingSchool = "School of Continuing Studies"
)

// Campuses with their weights: most courses meet on the main campus, spelled two ways.
var campuses = []struct {
	name   string
	weight int
}{
	{"Main", 60}, {"Main Campus", 12}, {"Downtown", 5}, {"West", 4}, {"North Campus", 3}, {"City", 3},
	{"Downtown Arts Campus", 2}, {"Health Sciences Campus", 2}, {"Riverside Campus", 2}, {"Innovation Campus", 1},
}

// A slot is a weekly meeting pattern: days and HH-MM times.
type slot struct {
	days       []string
	start, end string
}

var (
	mw   = []string{"Monday", "Wednesday"}
	tr   = []string{"Tuesday", "Thursday"}
	mwf  = []string{"Monday", "Wednesday", "Friday"}
	fri  = []string{"Friday"}
	wed  = []string{"Wednesday"}
	tue  = []string{"Tuesday"}
	thu  = []string{"Thursday"}
	mon  = []string{"Monday"}
	sat  = []string{"Saturday"}
	sun  = []string{"Sunday"}
	wedF = []string{"Wednesday", "Friday"}
)

// slots are the weekly patterns courses use, commonest first; weekend ones are rare.
var slots = []slot{
	{tr, "11-00", "12-15"}, {mw, "09-00", "10-15"}, {mwf, "09-00", "09-50"}, {tr, "09-30", "10-45"},
	{mw, "14-00", "15-15"}, {tr, "13-30", "14-45"}, {mwf, "11-00", "11-50"}, {mw, "10-30", "11-45"},
	{tr, "14-00", "15-50"}, {fri, "13-30", "16-15"}, {wed, "14-00", "16-45"}, {tr, "15-00", "16-15"},
	{mw, "16-00", "17-15"}, {tue, "18-00", "20-45"}, {thu, "18-00", "20-45"}, {mon, "13-00", "15-30"},
	{wedF, "12-00", "13-15"}, {mwf, "13-00", "13-50"}, {sat, "09-00", "11-50"}, {sun, "13-00", "15-50"},
}

// The terms of the catalogue with their first and last class days.
var terms = []struct {
	name        string
	first, last [3]int // year, month, day
}{
	{"2025-SPRING", [3]int{2025, 1, 13}, [3]int{2025, 5, 9}},
	{"2025-FALL", [3]int{2025, 9, 2}, [3]int{2025, 12, 12}},
}

var (
	firstNames = []string{"Ava", "Liam", "Sofia", "Noah", "Priya", "Mateo", "Chloe", "Ethan", "Amara", "Lucas",
		"Mei", "Omar", "Isabella", "Daniel", "Aaliyah", "Hiroshi", "Elena", "Marcus", "Zoe", "Carlos",
		"Fatima", "Jonah", "Grace", "Arjun", "Nadia", "Samuel", "Leila", "Tomás", "Hannah", "Kwame",
		"Maya", "Owen", "Julia", "Rafael", "Emily", "Dmitri", "Camila", "Benjamin", "Ana", "Tariq"}
	lastNames = []string{"Martinez", "Chen", "Rossi", "Patel", "Nguyen", "Johnson", "Kim", "Okafor", "Garcia",
		"Williams", "Singh", "Khan", "Brown", "Lopez", "Cohen", "Tanaka", "Silva", "Müller", "Davis",
		"Reyes", "Hassan", "Novak", "O'Brien", "Andersen", "Moreau", "Kowalski", "Mensah", "Park", "Ortiz", "Harper"}
	streets = []string{"Maple St", "Oak Ave", "Pine Rd", "Cedar Lane", "Elm St", "Birch Blvd", "Lakeview Dr",
		"College Ave", "University Pl", "Hillside Rd", "Willow Way", "Chestnut St", "Park Ave", "River Rd"}
	places = []struct{ city, state, zip, area string }{
		{"Brooklyn", "NY", "112", "917"}, {"Cambridge", "MA", "021", "617"}, {"Chicago", "IL", "606", "312"},
		{"Austin", "TX", "787", "512"}, {"Seattle", "WA", "981", "206"}, {"Riverton", "CA", "940", "650"},
		{"Brookfield", "PA", "190", "610"}, {"Ann Arbor", "MI", "481", "734"}, {"Denver", "CO", "802", "303"},
		{"Atlanta", "GA", "303", "404"}, {"Madison", "WI", "537", "608"}, {"Portland", "OR", "972", "503"},
		{"Durham", "NC", "277", "919"}, {"Tucson", "AZ", "857", "520"}, {"Columbus", "OH", "432", "614"},
	}
	emailDomains = []string{"univ.edu", "univ.edu", "univ.edu", "university.edu", "uni.edu", "student.univ.edu"}
	relations    = []string{"father", "mother", "parent", "guardian", "spouse", "sister", "brother", "sibling", "aunt", "uncle", "friend"}
	cardBrands   = []string{"Visa", "Visa", "Mastercard", "Mastercard", "Amex", "Discover"}
	memberships  = []string{"honors", "student_union", "athletics"}
	minors       = []string{"Art History", "Mathematics", "Spanish", "Economics", "Music", "Psychology", "Statistics",
		"Philosophy", "Creative Writing", "Data Science", "Public Policy", "Museum Studies"}
	sections = []string{"A", "B", "C", "D", "A1", "B2", "C1", "A01", "B02", "C01", "G1"}

	cancelNotes = []string{"Snow day.", "Instructor illness.", "Building maintenance closure", "Campus power outage.",
		"Instructor at a conference.", "University holiday observed."}
	rescheduleNotes = []string{"Room change due to maintenance", "Moved to the next day for a guest lecture.",
		"Instructor travel; make-up session.", "Shifted to avoid an exam conflict."}
	heldNotes = []string{"Introductions and materials overview.", "Quiz returned.", "Guest speaker.",
		"Lab safety briefing.", "Problem set 1 assigned.", "Discussion of the readings.", "Started late due to projector issues."}
)
