package bank

import "github.com/toolscale/toolscale/domains"

// DB is the bank database: four tables keyed by id, in the order of db.json.
type DB struct {
	Clients       *domains.Table[Client]      `json:"clients"`
	Transactions  *domains.Table[Transaction] `json:"transactions"`
	Loans         *domains.Table[Loan]        `json:"loans"`
	Beneficiaries *domains.Table[Beneficiary] `json:"beneficiaries"`
}

// A Client is a bank customer with the accounts and cards they hold.
type Client struct {
	ClientID       string                `json:"client_id"`
	Name           ClientName            `json:"name"`
	Contact        ClientContact         `json:"contact"`
	Address        BankAddress           `json:"address"`
	Accounts       domains.Map[*Account] `json:"accounts"`
	Cards          domains.Map[*Card]    `json:"cards"`
	LoanIDs        []string              `json:"loan_ids"`
	BeneficiaryIDs []string              `json:"beneficiary_ids"`
	CreatedAt      string                `json:"created_at"`
	KYC            KYC                   `json:"kyc"`
}

// ClientName is a client's legal name.
type ClientName struct {
	FirstName  string  `json:"first_name"`
	LastName   string  `json:"last_name"`
	MiddleName *string `json:"middle_name" db:"optional"`
}

// ClientContact holds how a client is reached; the email authenticates them.
type ClientContact struct {
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// BankAddress is a postal address of a client or a beneficiary.
type BankAddress struct {
	Address1 string `json:"address1"`
	Address2 string `json:"address2"`
	City     string `json:"city"`
	State    string `json:"state"`
	Zip      string `json:"zip"`
	Country  string `json:"country"`
}

// KYC is the state of a client's identity check.
type KYC struct {
	Status         string `json:"status" db:"enum=pending|verified|failed"`
	LastReviewedAt string `json:"last_reviewed_at"`
	TaxIDMasked    string `json:"tax_id_masked"`
}

// An Account is a deposit or credit account of a client.
type Account struct {
	AccountID           string          `json:"account_id"`
	Type                string          `json:"type" db:"enum=checking|savings|credit"`
	Currency            string          `json:"currency"`
	Status              string          `json:"status" db:"enum=active|frozen|closed"`
	AccountNumberMasked string          `json:"account_number_masked"`
	RoutingNumber       string          `json:"routing_number"`
	Balance             AccountBalance  `json:"balance"`
	InterestRateAPR     *float64        `json:"interest_rate_apr" db:"optional"`
	OverdraftLimit      *float64        `json:"overdraft_limit" db:"optional"`
	OpenedAt            string          `json:"opened_at"`
	Features            AccountFeatures `json:"features"`
}

// AccountBalance is an account's money in its currency: on_hold is the part of current
// that is not available.
type AccountBalance struct {
	Current   float64 `json:"current"`
	Available float64 `json:"available"`
	OnHold    float64 `json:"on_hold"`
}

// AccountFeatures are the services enabled on an account.
type AccountFeatures struct {
	ChecksEnabled bool `json:"checks_enabled"`
	ATMAccess     bool `json:"atm_access"`
	OnlineBanking bool `json:"online_banking"`
}

// A Card is a debit or credit card linked to one of its holder's accounts.
type Card struct {
	CardID          string        `json:"card_id"`
	Type            string        `json:"type" db:"enum=debit|credit"`
	LinkedAccountID string        `json:"linked_account_id"`
	Status          string        `json:"status" db:"enum=active|blocked|expired"`
	Issuer          string        `json:"issuer"`
	ExtraInfo       CardExtraInfo `json:"extra_info"`
	Limits          CardLimits    `json:"limits"`
	PinSet          bool          `json:"pin_set"`
}

// CardExtraInfo is what is printed on a card.
type CardExtraInfo struct {
	Brand    string `json:"brand"`
	LastFour string `json:"last_four"`
	ExpMonth string `json:"exp_month"`
	ExpYear  string `json:"exp_year"`
}

// CardLimits are a card's daily spending limits.
type CardLimits struct {
	DailyATMLimit float64 `json:"daily_atm_limit"`
	DailyPOSLimit float64 `json:"daily_pos_limit"`
}

// A Transaction is one movement of money on an account.
type Transaction struct {
	TransactionID        string            `json:"transaction_id"`
	ClientID             string            `json:"client_id"`
	AccountID            string            `json:"account_id"`
	Timestamp            string            `json:"timestamp"`
	Type                 string            `json:"type" db:"enum=deposit|withdrawal|transfer|payment|fee|interest"`
	Direction            string            `json:"direction" db:"enum=debit|credit"`
	Amount               float64           `json:"amount"`
	Currency             string            `json:"currency"`
	Description          *string           `json:"description" db:"optional"`
	Method               string            `json:"method" db:"enum=ACH|Wire|Card|ATM|Internal"`
	Status               string            `json:"status" db:"enum=pending|posted|reversed"`
	Merchant             *Merchant         `json:"merchant" db:"optional"`
	RelatedTransactionID *string           `json:"related_transaction_id" db:"optional"`
	Exchange             *CurrencyExchange `json:"exchange" db:"optional"`
	Fees                 []TransactionFee  `json:"fees" db:"default=[]"`
	Hold                 *TransactionHold  `json:"hold" db:"optional"`
	BalanceAfter         *float64          `json:"balance_after" db:"optional"`
}

// A Merchant is the counterparty of a card payment.
type Merchant struct {
	Name    string `json:"name"`
	MCC     string `json:"mcc"`
	City    string `json:"city"`
	Country string `json:"country"`
}

// CurrencyExchange records a conversion made by a transaction.
type CurrencyExchange struct {
	SourceCurrency string  `json:"source_currency"`
	TargetCurrency string  `json:"target_currency"`
	Rate           float64 `json:"rate"`
	SourceAmount   float64 `json:"source_amount"`
	TargetAmount   float64 `json:"target_amount"`
}

// A TransactionFee is a fee charged with a transaction.
type TransactionFee struct {
	Type     string  `json:"type"`
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
}

// TransactionHold says whether and until when a transaction's amount is held.
type TransactionHold struct {
	IsHold    bool    `json:"is_hold"`
	ReleaseAt *string `json:"release_at" db:"optional"`
	Reason    *string `json:"reason" db:"optional"`
}

// A Loan is credit extended to a client, repaid from one of their accounts.
type Loan struct {
	LoanID                   string             `json:"loan_id"`
	ClientID                 string             `json:"client_id"`
	LinkedRepaymentAccountID string             `json:"linked_repayment_account_id"`
	Type                     string             `json:"type" db:"enum=mortgage|auto|personal|credit_line"`
	Principal                float64            `json:"principal"`
	Currency                 string             `json:"currency"`
	InterestRateAPR          float64            `json:"interest_rate_apr"`
	Amortization             string             `json:"amortization" db:"enum=fixed|interest_only|balloon"`
	TermMonths               int64              `json:"term_months"`
	OriginationDate          string             `json:"origination_date"`
	FirstPaymentDate         string             `json:"first_payment_date"`
	MaturityDate             string             `json:"maturity_date"`
	Status                   string             `json:"status" db:"enum=active|closed|delinquent|default"`
	Collateral               *LoanCollateral    `json:"collateral" db:"optional"`
	PaymentSchedule          []ScheduledPayment `json:"payment_schedule"`
	RepaymentHistory         []Repayment        `json:"repayment_history"`
	Escrow                   *Escrow            `json:"escrow" db:"optional"` // absent from two shipped loans
}

// LoanCollateral is what secures a loan.
type LoanCollateral struct {
	Type          string  `json:"type" db:"enum=real_estate|vehicle|unsecured|other"`
	Description   string  `json:"description"`
	ValueAmount   float64 `json:"value_amount"`
	ValueCurrency string  `json:"value_currency"`
}

// A ScheduledPayment is one instalment of a loan.
type ScheduledPayment struct {
	DueDate       string  `json:"due_date"`
	Amount        float64 `json:"amount"`
	Currency      string  `json:"currency"`
	Status        string  `json:"status" db:"enum=due|paid|late|deferred"`
	TransactionID *string `json:"transaction_id" db:"optional"`
}

// A Repayment is one payment received on a loan.
type Repayment struct {
	TransactionID      string  `json:"transaction_id"`
	PostedAt           string  `json:"posted_at"`
	Amount             float64 `json:"amount"`
	Currency           string  `json:"currency"`
	Method             string  `json:"method" db:"enum=ACH|Wire|Card|ATM|Internal"`
	PrincipalComponent float64 `json:"principal_component"`
	InterestComponent  float64 `json:"interest_component"`
	FeesComponent      float64 `json:"fees_component"`
}

// Escrow is the account a loan's taxes and insurance are paid from.
type Escrow struct {
	AccountID string  `json:"account_id"`
	Balance   float64 `json:"balance"`
	Currency  string  `json:"currency"`
}

// A Beneficiary is a saved payee of a client.
type Beneficiary struct {
	BeneficiaryID         string                  `json:"beneficiary_id"`
	ClientID              string                  `json:"client_id"`
	Name                  BeneficiaryName         `json:"name"`
	Type                  string                  `json:"type" db:"enum=individual|business"`
	BankDetails           BankDetails             `json:"bank_details"`
	Address               BankAddress             `json:"address"`
	AllowedFromAccountIDs []string                `json:"allowed_from_account_ids"`
	TransferLimits        TransferLimits          `json:"transfer_limits"`
	Verification          BeneficiaryVerification `json:"verification"`
	Status                string                  `json:"status" db:"enum=active|suspended|revoked"`
	CreatedAt             string                  `json:"created_at"`
	Notes                 *string                 `json:"notes" db:"optional"`
}

// BeneficiaryName names a payee: a person, a business, or a label the client chose.
type BeneficiaryName struct {
	DisplayName  *string `json:"display_name" db:"optional"`
	FirstName    *string `json:"first_name" db:"optional"`
	LastName     *string `json:"last_name" db:"optional"`
	BusinessName *string `json:"business_name" db:"optional"`
}

// BankDetails identify a payee's account at their bank.
type BankDetails struct {
	BankName            string  `json:"bank_name"`
	AccountNumberMasked string  `json:"account_number_masked"`
	RoutingNumber       *string `json:"routing_number" db:"optional"`
	IBAN                *string `json:"iban" db:"optional"`
	SwiftBIC            *string `json:"swift_bic" db:"optional"`
}

// TransferLimits cap the money sent to a payee.
type TransferLimits struct {
	PerTransferLimit float64 `json:"per_transfer_limit"`
	DailyLimit       float64 `json:"daily_limit"`
}

// BeneficiaryVerification is the state of a payee's verification.
type BeneficiaryVerification struct {
	Status string `json:"status" db:"enum=pending|verified|failed"`
	// Method is checked against the enum when a record is loaded or built, but
	// verify_beneficiary assigns its argument unchecked, whatever its type (reference quirk).
	Method     any     `json:"method" db:"enum=micro_deposits|document|instant"`
	VerifiedAt *string `json:"verified_at" db:"optional"`
}
