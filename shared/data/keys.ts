/**
 * Every partition and sort key value in the table is built here, so an access pattern can be
 * found by name. Prefixes are upper-case entity names; ids never contain '#'.
 */
export const keys = {
  district: (districtId: string) => ({ pk: `DISTRICT#${districtId}`, sk: 'DISTRICT' }),
  /** gsi1: all districts */
  districtList: () => ({ gsi1pk: 'DISTRICTS' }),
  districtListEntry: (districtId: string) => ({ gsi1pk: 'DISTRICTS', gsi1sk: `DISTRICT#${districtId}` }),

  institution: (institutionId: string) => ({ pk: `INSTITUTION#${institutionId}`, sk: 'INSTITUTION' }),
  /** gsi1: institutions of a district */
  institutionsOfDistrict: (districtId: string) => ({ gsi1pk: `DISTRICT#${districtId}#INSTITUTIONS` }),
  institutionListEntry: (districtId: string, institutionId: string) => ({
    gsi1pk: `DISTRICT#${districtId}#INSTITUTIONS`,
    gsi1sk: `INSTITUTION#${institutionId}`,
  }),

  team: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: 'TEAM' }),
  /** gsi1: teams of an institution; gsi2: teams of a district */
  teamsOfInstitution: (institutionId: string) => ({ gsi1pk: `INSTITUTION#${institutionId}#TEAMS` }),
  teamsOfDistrict: (districtId: string) => ({ gsi2pk: `DISTRICT#${districtId}#TEAMS` }),
  teamListEntries: (districtId: string, institutionId: string, teamId: string) => ({
    gsi1pk: `INSTITUTION#${institutionId}#TEAMS`,
    gsi1sk: `TEAM#${teamId}`,
    gsi2pk: `DISTRICT#${districtId}#TEAMS`,
    gsi2sk: `INSTITUTION#${institutionId}#TEAM#${teamId}`,
  }),

  contract: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: 'CONTRACT' }),
  /** gsi1: contracts of a team by start date; gsi2: a resident's contract history */
  contractsOfTeam: (teamId: string) => ({ gsi1pk: `TEAM#${teamId}#CONTRACTS` }),
  contractsOfResident: (residentRef: string) => ({ gsi2pk: `RESIDENT#${residentRef}#CONTRACTS` }),
  contractListEntries: (teamId: string, residentRef: string, startDate: string, contractId: string) => ({
    gsi1pk: `TEAM#${teamId}#CONTRACTS`,
    gsi1sk: `START#${startDate}#${contractId}`,
    gsi2pk: `RESIDENT#${residentRef}#CONTRACTS`,
    gsi2sk: `START#${startDate}#${contractId}`,
  }),
  /** The resident's one current contract: the item that enforces one active contract. */
  residentCurrentContract: (residentRef: string) => ({ pk: `RESIDENT#${residentRef}`, sk: 'CURRENT_CONTRACT' }),
} as const;
